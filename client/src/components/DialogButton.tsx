import { useState, type ReactNode } from 'react';

interface DialogButtonProps {
  /** The button's accessible name. */
  label: string;
  /** The visible text beside the icon (hidden on a phone); the label when absent. */
  text?: string;
  icon: ReactNode;
  /** The tooltip: what the button does, or why it cannot yet. */
  title: string;
  disabled?: boolean;
  /** The dialog it opens, given the function that closes it. */
  dialog: (close: () => void) => ReactNode;
}

/** A button of the chat header that opens a dialog; the dialog returns the focus to it on close. */
export function DialogButton({ label, text = label, icon, title, disabled = false, dialog }: DialogButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-ghost" aria-label={label} aria-haspopup="dialog" title={title} disabled={disabled} onClick={() => setOpen(true)}>
        {icon}
        <span className="button-label">{text}</span>
      </button>
      {open && dialog(() => setOpen(false))}
    </>
  );
}
