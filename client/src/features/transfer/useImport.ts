import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import type { ImportReport } from '../../api/types';
import { importConversations, readImportFile, type ReadFile } from './importFile';

export type ImportStep =
  | { step: 'pick' }
  | { step: 'checking'; name: string }
  | { step: 'checked'; file: ReadFile; report: ImportReport }
  | { step: 'importing'; file: ReadFile; report: ImportReport }
  | { step: 'imported'; file: ReadFile; report: ImportReport }
  | { step: 'failed'; name: string; detail: string; file?: ReadFile; report?: ImportReport };

/**
 * The import dialog's steps: a file is read and checked with a dry run, whose report the person sees
 * before the real import; `onImported` runs after it. A newer file makes the answers for an older one moot.
 */
export function useImport(onImported: (report: ImportReport) => void) {
  const [state, setState] = useState<ImportStep>({ step: 'pick' });
  const generation = useRef(0);

  const check = useCallback(async (chosen: File) => {
    const mine = ++generation.current;
    setState({ step: 'checking', name: chosen.name });
    try {
      const file = await readImportFile(chosen);
      const report = await importConversations(file, true);
      if (mine === generation.current) setState({ step: 'checked', file, report });
    } catch (error) {
      if (mine === generation.current) setState({ step: 'failed', name: chosen.name, detail: errorMessage(error) });
    }
  }, []);

  const run = useCallback(async () => {
    if (!canImport(state)) return;
    const { file, report } = state;
    const mine = ++generation.current;
    setState({ step: 'importing', file, report });
    try {
      const done = await importConversations(file, false);
      if (mine !== generation.current) return;
      setState({ step: 'imported', file, report: done });
      onImported(done);
    } catch (error) {
      // The dry run's report stays on screen, so a second try is one click away.
      if (mine === generation.current) setState({ step: 'failed', name: file.name, detail: errorMessage(error), file, report });
    }
  }, [state, onImported]);

  const reset = useCallback(() => {
    generation.current++;
    setState({ step: 'pick' });
  }, []);

  return { state, check, run, reset };
}

/** A checked file with something in it, or one whose import failed (to try again). */
export function canImport(state: ImportStep): state is ImportStep & { file: ReadFile; report: ImportReport } {
  const checked = state.step === 'checked' || (state.step === 'failed' && state.file !== undefined);
  return checked && state.report !== undefined && state.report.imported > 0;
}
