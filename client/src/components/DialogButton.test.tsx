import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DialogButton } from './DialogButton';
import { Modal } from './Modal';

const dialog = (close: () => void) => (
  <Modal title="The dialog" onClose={close}>
    <button type="button" onClick={close}>
      Done
    </button>
  </Modal>
);

describe(DialogButton.name, () => {
  it('should be named by its label, show its text, and say that it opens a dialog', () => {
    render(<DialogButton label="Chat settings" text="Settings" icon={<svg />} title="Change this chat" dialog={dialog} />);

    const button = screen.getByRole('button', { name: 'Chat settings' });
    expect(button).toHaveTextContent('Settings');
    expect(button).toHaveAttribute('aria-haspopup', 'dialog');
    expect(button).toHaveAttribute('title', 'Change this chat');
  });

  it('should open its dialog, and take the focus back when the dialog closes', async () => {
    const user = userEvent.setup();
    render(<DialogButton label="Share" icon={<svg />} title="Share" dialog={dialog} />);

    await user.click(screen.getByRole('button', { name: 'Share' }));
    expect(screen.getByRole('dialog', { name: 'The dialog' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done' }));

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Share' })).toHaveFocus();
  });

  it('should open nothing while disabled', async () => {
    const user = userEvent.setup();
    render(<DialogButton label="Share" icon={<svg />} title="Send a first message" disabled dialog={dialog} />);

    await user.click(screen.getByRole('button', { name: 'Share' }));

    expect(screen.getByRole('button', { name: 'Share' })).toBeDisabled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
