import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { apiError, callsTo, fakeApi, json } from '../../test/fakeApi';
import { renderWithRouter, SESSION } from '../../test/render';
import { SettingsButton } from './SettingsButton';

const SETTINGS = {
  system_prompt: null,
  model: null,
  temperature: 0.7,
  memory: { strategy: 'window', max_history: 10, max_tokens: null },
  allowed_models: ['gpt-4o-mini', 'gpt-4o'],
};
const PATH = `/api/sessions/${SESSION}/settings`;

function open(onSaved = vi.fn()) {
  const view = renderWithRouter(<SettingsButton sessionId={SESSION} saved onSaved={onSaved} />);
  return { ...view, openPanel: () => view.user.click(screen.getByRole('button', { name: 'Chat settings' })) };
}

describe('SettingsDialog', () => {
  it('should load the settings, save every field with PATCH, and close', async () => {
    const calls = fakeApi({
      [`GET ${PATH}`]: () => json(SETTINGS),
      [`PATCH ${PATH}`]: ({ body }) => json({ ...SETTINGS, ...(body as object) }),
    });
    const onSaved = vi.fn();
    const { user, openPanel } = open(onSaved);
    await openPanel();

    const prompt = await screen.findByRole('textbox', { name: 'System prompt' });
    expect(prompt).toHaveFocus();
    expect(screen.getByRole('combobox', { name: 'Model' })).toHaveValue('');
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(0.7);
    expect(screen.getByRole('radio', { name: /Window/ })).toBeChecked();
    expect(screen.queryByRole('spinbutton', { name: 'Token budget' })).not.toBeInTheDocument();

    await user.type(prompt, 'Answer in French.');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Model' }), 'gpt-4o');
    await user.click(screen.getByRole('radio', { name: /Summary/ }));
    await user.clear(screen.getByRole('spinbutton', { name: 'Turns to keep' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Turns to keep' }), '4');
    await user.type(screen.getByRole('spinbutton', { name: 'Token budget' }), '2000');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(callsTo(calls, `PATCH ${PATH}`)[0]?.body).toEqual({
      system_prompt: 'Answer in French.',
      model: 'gpt-4o',
      temperature: 0.7,
      memory: { strategy: 'summary', max_history: 4, max_tokens: 2000 },
    });
    expect(onSaved).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Chat settings' })).toHaveFocus();
  });

  it("should show the server's detail on a 400 and keep the dialog open", async () => {
    fakeApi({
      [`GET ${PATH}`]: () => json(SETTINGS),
      [`PATCH ${PATH}`]: () => apiError(400, 'validation_failed', 'temperature must not be greater than 2'),
    });
    const onSaved = vi.fn();
    const { user, openPanel } = open(onSaved);
    await openPanel();

    const temperature = await screen.findByRole('spinbutton', { name: 'Temperature' });
    await user.clear(temperature);
    await user.type(temperature, '2.5');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('temperature must not be greater than 2');
    expect(screen.getByRole('dialog', { name: 'Chat settings' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('should reset the temperature to the default (null)', async () => {
    const calls = fakeApi({
      [`GET ${PATH}`]: () => json(SETTINGS),
      [`PATCH ${PATH}`]: ({ body }) => json({ ...SETTINGS, ...(body as object) }),
    });
    const { user, openPanel } = open();
    await openPanel();

    await user.click(await screen.findByRole('button', { name: 'Reset temperature to default' }));
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(null);
    expect(screen.getByRole('button', { name: 'Reset temperature to default' })).toBeDisabled();
    expect(screen.getByRole('spinbutton', { name: 'Temperature' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(callsTo(calls, `PATCH ${PATH}`)).toHaveLength(1));
    expect(callsTo(calls, `PATCH ${PATH}`)[0]?.body).toMatchObject({ temperature: null, system_prompt: null, model: null });
  });

  it('should keep showing a model the server no longer allows, instead of the default', async () => {
    fakeApi({ [`GET ${PATH}`]: () => json({ ...SETTINGS, model: 'gpt-3' }) });
    const { openPanel } = open();
    await openPanel();
    const model = await screen.findByRole('combobox', { name: 'Model' });
    expect(model).toHaveValue('gpt-3');
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('gpt-3 (no longer allowed)');
  });

  it('should be disabled for a chat the server does not have yet', () => {
    fakeApi({});
    renderWithRouter(<SettingsButton sessionId={SESSION} saved={false} onSaved={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Chat settings' })).toBeDisabled();
  });

  it('should close on Escape without saving', async () => {
    const calls = fakeApi({ [`GET ${PATH}`]: () => json(SETTINGS) });
    const { user, openPanel } = open();
    await openPanel();
    await screen.findByRole('textbox', { name: 'System prompt' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsTo(calls, `PATCH ${PATH}`)).toHaveLength(0);
  });
});
