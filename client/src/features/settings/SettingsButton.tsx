import { DialogButton } from '../../components/DialogButton';
import { SlidersIcon } from '../../components/icons';
import { SettingsDialog } from './SettingsDialog';

interface SettingsButtonProps {
  sessionId: string;
  /** A chat gets settings once the server has it: after its first turn. */
  saved: boolean;
  onSaved: () => void;
}

export function SettingsButton({ sessionId, saved, onSaved }: SettingsButtonProps) {
  return (
    <DialogButton
      label="Chat settings"
      text="Settings"
      icon={<SlidersIcon width={16} height={16} />}
      title={saved ? 'Chat settings' : 'Send a first message to change this chat’s settings'}
      disabled={!saved}
      dialog={(close) => <SettingsDialog sessionId={sessionId} onSaved={onSaved} onClose={close} />}
    />
  );
}
