// Lints source texts given as JSON {path: code} on argv with the project's ESLint configuration and
// prints {path: ["rule: message"]}. Nothing is written to disk; the paths only pick the rules that apply.
// Type information is off: the probes test import and property rules, which need none.
const { ESLint } = require('eslint');

async function main() {
  const eslint = new ESLint({
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/switch-exhaustiveness-check': 'off' },
    },
  });
  const out = {};
  for (const [path, code] of Object.entries(JSON.parse(process.argv[2]))) {
    const [result] = await eslint.lintText(code, { filePath: path });
    out[path] = result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
