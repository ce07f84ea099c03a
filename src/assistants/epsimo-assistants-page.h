/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-project.h"
#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ASSISTANTS_PAGE (epsimo_assistants_page_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAssistantsPage, epsimo_assistants_page, EPSIMO, ASSISTANTS_PAGE,
                      AdwBin)

/* The Assistants section of a project: the list of its assistants and, as a page of its
 * own, the editor of one.
 *
 * Properties: "session" (EpsimoSession), "project" (EpsimoProject, nullable),
 * "has-unsaved-changes" (boolean, read-only).
 * Actions: "assistants.new" (Ctrl+N), "assistants.open" (s: an id),
 * "assistants.duplicate" (s), "assistants.delete" (s: asks first), "assistants.save"
 * (Ctrl+S), "assistants.back" (Alt+Left: back to the list, asking about unsaved changes).
 * It uses "win.toast" (s). */
GtkWidget     *epsimo_assistants_page_new                 (void);
EpsimoSession *epsimo_assistants_page_get_session         (EpsimoAssistantsPage *self);
void           epsimo_assistants_page_set_session         (EpsimoAssistantsPage *self,
                                                           EpsimoSession        *session);
EpsimoProject *epsimo_assistants_page_get_project         (EpsimoAssistantsPage *self);
void           epsimo_assistants_page_set_project         (EpsimoAssistantsPage *self,
                                                           EpsimoProject        *project);
gboolean       epsimo_assistants_page_get_has_unsaved_changes (EpsimoAssistantsPage *self);

/* Before the window switches project or account: when the editor has unsaved changes,
 * asks Save / Discard / Cancel. Finishes with TRUE when it is fine to leave (nothing
 * unsaved, saved, or discarded), FALSE when the user cancelled or the save failed (the
 * editor then shows why). */
void           epsimo_assistants_page_confirm_leave_async  (EpsimoAssistantsPage *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean       epsimo_assistants_page_confirm_leave_finish (EpsimoAssistantsPage *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
