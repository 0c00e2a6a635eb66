import { ContextTooLongError } from '../../common/domain-error';
import { WordTokenCounter } from '../../../test/support/fakes';
import { buildContext, ContextInput, countTokens, estimateTextTokens, estimateTokens } from './context';

describe(buildContext.name, () => {
  const counter = new WordTokenCounter();
  const turns = [
    { human: 'one two three', ai: 'four five' },
    { human: 'six', ai: 'seven eight nine ten' },
    { human: 'eleven', ai: 'twelve' },
  ];
  const input = (over: Partial<ContextInput>): ContextInput => ({
    strategy: 'window',
    maxTokens: 1000,
    systemPrompt: null,
    turns,
    prompt: 'next',
    model: 'gpt-4o-mini',
    ...over,
  });
  const contents = (over: Partial<ContextInput>) => buildContext(input(over), counter).messages.map((m) => m.content);

  it('should send every given turn under window, the system prompt first and the prompt last', () => {
    expect(contents({ systemPrompt: 'sys' })).toEqual(['sys', 'one two three', 'four five', 'six', 'seven eight nine ten', 'eleven', 'twelve', 'next']);
  });

  it('should keep the newest whole turns that fit the token budget under tokens', () => {
    // priming 3 + prompt (4 + 1) = 8; newest turn 4+1 + 4+1 = 10 -> 18; the one before 4+1 + 4+4 = 13 -> 31.
    expect(contents({ strategy: 'tokens', maxTokens: 30 })).toEqual(['eleven', 'twelve', 'next']);
    expect(contents({ strategy: 'tokens', maxTokens: 31 })).toEqual(['six', 'seven eight nine ten', 'eleven', 'twelve', 'next']);
    expect(buildContext(input({ strategy: 'tokens', maxTokens: 31 }), counter).tokens).toBe(31);
  });

  it('should drop every earlier turn rather than the prompt, and refuse a prompt that alone is over the budget', () => {
    expect(contents({ strategy: 'tokens', maxTokens: 8, systemPrompt: null })).toEqual(['next']);
    expect(() => buildContext(input({ strategy: 'tokens', maxTokens: 7 }), counter)).toThrow(ContextTooLongError);
    expect(() => buildContext(input({ strategy: 'tokens', maxTokens: 12, systemPrompt: 'a b c d' }), counter)).toThrow(/needs 16 tokens.*is 12/);
  });

  it('should never cut a turn in half nor skip a turn to fit an older one', () => {
    const uneven = [{ human: 'a', ai: 'b' }, { human: 'c d e f g h i j', ai: 'k' }, { human: 'l', ai: 'm' }];
    expect(contents({ strategy: 'tokens', turns: uneven, maxTokens: 28 })).toEqual(['l', 'm', 'next']);
  });

  it('should show the context before the next prompt when no prompt is given', () => {
    const context = buildContext(input({ strategy: 'tokens', maxTokens: 13, prompt: null }), counter);
    expect(context.messages.map((m) => m.content)).toEqual(['eleven', 'twelve']);
    expect(countTokens(context.messages, 'gpt-4o-mini', counter)).toBe(13);
  });
});

describe(estimateTokens.name, () => {
  it('should estimate four characters a token, with the overhead of each message and of the reply', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
    // 3 to prime the reply, then 4 per message plus its content: 2 + 1.
    expect(estimateTokens([{ role: 'system', content: 'Be brief' }, { role: 'human', content: 'hi' }])).toBe(3 + (4 + 2) + (4 + 1));
  });
});
