import { DOCUMENT_TYPES } from '../protocol';

/** What the file inputs offer; the server decides from the bytes anyway. */
export const ACCEPT = DOCUMENT_TYPES.join(',');

/**
 * The files picked for the next message, in the widget and the inbox alike: from a file input,
 * the camera (phones open it for `capture`), a drop or a paste. Kept until sent or removed; the
 * limits are the server's (it answers in words the writer understands).
 */
export class FilePick {
  files: File[] = [];

  constructor(private readonly changed: () => void) {}

  /** Add files from an input, a drop or a paste. */
  add(list: FileList | readonly File[] | null | undefined): void {
    if (!list?.length) return;
    this.files = [...this.files, ...Array.from(list)];
    this.changed();
  }

  /** The change handler of a file input: its files are added and the input is emptied for the next pick. */
  fromInput(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.add(input.files);
    input.value = '';
  }

  /** Files in a paste (a screenshot, a copied photo); a paste of text is left alone. */
  onPaste(e: ClipboardEvent): void {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (files.length) {
      e.preventDefault();
      this.add(files);
    }
  }

  /** Let files be dropped here. */
  onDragOver(e: DragEvent): void {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  }

  /** Take the dropped files. */
  onDrop(e: DragEvent): void {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    this.add(e.dataTransfer.files);
  }

  /** Hand the picked files to the message being sent. */
  take(): File[] {
    const out = this.files;
    this.files = [];
    this.changed();
    return out;
  }

  /** Drop one picked file. */
  remove(i: number): void {
    this.files = this.files.filter((_, n) => n !== i);
    this.changed();
  }

  /** The caption of files sent without text: their names. */
  static caption(files: readonly File[], max: number): string {
    return files.map((f) => f.name).join(', ').slice(0, max) || 'file';
  }
}
