// The agent inbox bundle: registers every component; public/inbox.html puts <sb-inbox> on the page.
import { defineSbAssignDialog } from './sb-assign-dialog/sb-assign-dialog';
import { defineSbComplaints } from './sb-complaints/sb-complaints';
import { defineSbComposer } from './sb-composer/sb-composer';
import { defineSbContactCard } from './sb-contact-card/sb-contact-card';
import { defineSbConversation } from './sb-conversation/sb-conversation';
import { defineSbEscalateDialog } from './sb-escalate-dialog/sb-escalate-dialog';
import { defineSbHoldDialog } from './sb-hold-dialog/sb-hold-dialog';
import { defineSbInbox } from './sb-inbox/sb-inbox';
import { defineSbLogin } from './sb-login/sb-login';
import { defineSbQueue } from './sb-queue/sb-queue';
import { defineSbReports } from './sb-reports/sb-reports';
import { defineSbSearchDialog } from './sb-search-dialog/sb-search-dialog';
import { defineSbShortcutsDialog } from './sb-shortcuts-dialog/sb-shortcuts-dialog';
import { defineSbSupervisor } from './sb-supervisor/sb-supervisor';
import { defineSbTabStrip } from './sb-tab-strip/sb-tab-strip';
import { defineSbThread } from './sb-thread/sb-thread';
import { defineSbToasts } from './sb-toasts/sb-toasts';
import { defineSbTopBar } from './sb-top-bar/sb-top-bar';

// Children first, so the shell's first render finds them upgraded.
defineSbLogin();
defineSbQueue();
defineSbThread();
defineSbComposer();
defineSbHoldDialog();
defineSbEscalateDialog();
defineSbAssignDialog();
defineSbShortcutsDialog();
defineSbSearchDialog();
defineSbContactCard();
defineSbToasts();
defineSbSupervisor();
defineSbComplaints();
defineSbReports();
defineSbConversation();
defineSbTopBar();
defineSbTabStrip();
defineSbInbox();
