/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-project.h"
#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECT_DELETE_DIALOG (epsimo_project_delete_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProjectDeleteDialog, epsimo_project_delete_dialog,
                      EPSIMO, PROJECT_DELETE_DIALOG, AdwMessageDialog)

/* "Delete “Name”?": names the project and says its assistants, threads and files go with
 * it. Responses "cancel" (the default and close response) and "delete" (destructive). */
GtkWidget *epsimo_project_delete_dialog_new     (GtkWindow           *parent,
                                                 EpsimoProject       *project);

/* The whole delete flow, shared by the sidebar and the overview: asks with the dialog
 * above (transient for @from's window); only once the user confirms sends
 * DELETE /projects/{id}?confirm=true, then tells the user with a toast (win.toast,
 * activated on @from) whether it worked. @cancellable must be cancelled when @from is
 * disposed. Finishes TRUE when the project was deleted; FALSE with G_IO_ERROR_CANCELLED
 * when the user declined (or @cancellable fired), or with the server's error. */
void       epsimo_project_delete_flow_async     (GtkWidget           *from,
                                                 EpsimoSession       *session,
                                                 EpsimoProject       *project,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean   epsimo_project_delete_flow_finish    (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
