import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

function Harness({ onConfirm }: { onConfirm: () => void | Promise<void> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      {open && (
        <ConfirmDialog title="Really?" confirmLabel="Do it" onConfirm={onConfirm} onCancel={() => setOpen(false)}>
          <p>It cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

describe(ConfirmDialog.name, () => {
  it('should be a labelled, described modal dialog that starts on Cancel and keeps focus inside', async () => {
    const user = userEvent.setup();
    render(<Harness onConfirm={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));

    const dialog = screen.getByRole('dialog', { name: 'Really?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription('It cannot be undone.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Do it' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Do it' })).toHaveFocus();
  });

  it('should close on Escape and give focus back', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open' })).toHaveFocus();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('should confirm with its confirm button', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));

    await user.click(screen.getByRole('button', { name: 'Do it' }));

    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('should be busy while an async confirmation runs, show why it failed, and stay open for another try', async () => {
    const user = userEvent.setup();
    let fail!: (error: Error) => void;
    const onConfirm = vi.fn(() => new Promise<void>((_, reject) => (fail = reject)));
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole('button', { name: 'Open' }));

    await user.click(screen.getByRole('button', { name: 'Do it' }));
    expect(screen.getByRole('button', { name: 'Do it' })).toBeDisabled();
    fail(new Error('The server is unavailable'));

    expect(await screen.findByRole('alert')).toHaveTextContent('The server is unavailable');
    expect(screen.getByRole('dialog', { name: 'Really?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Do it' })).toBeEnabled();

    onConfirm.mockResolvedValueOnce(undefined);
    await user.click(screen.getByRole('button', { name: 'Do it' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onConfirm).toHaveBeenCalledTimes(2);
  });
});
