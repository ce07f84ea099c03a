/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"
#include "api/epsimo-project.h"
#include "api/epsimo-thread.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CHAT_PAGE (epsimo_chat_page_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoChatPage, epsimo_chat_page, EPSIMO, CHAT_PAGE, AdwBin)

/* The Chat section of a project: the threads (search, new, delete, an unread dot) beside
 * the selected thread's transcript and the composer, folding into a leaflet when narrow,
 * with an optional side panel (the database panel) at the end.
 *
 * Properties:
 *   "session" (EpsimoSession, nullable), "project" (EpsimoProject, nullable): what to show;
 *     changing either reloads.
 *   "thread" (EpsimoThread, read-only, nullable): the thread shown (for "last-thread").
 *   "side-panel-visible" (boolean): shows the side panel set with
 *     epsimo_chat_page_set_side_panel().
 *
 * Signal ::state-changed (JsonObject *values, const char *thread_id): a tool changed a
 * thread's state during a reply; @values holds the thread's keys ("messages" left out), or
 * is NULL when the server does not send the state (reference dialect): fetch it again.
 *
 * Actions (group "chat"): "new-thread" (Ctrl+N), "stop" (Escape while a reply streams),
 * "jump-to-latest", "retry", "add-note" (only where the server has notes: the reference
 * dialect), "delete-thread" (s: the thread id).
 *
 * A reply that ends while the window is not focused raises a notification whose default
 * action is "app.open-thread" with the string "PROJECT_ID\tTHREAD_ID"; the application
 * handles it with epsimo_chat_page_select_thread(). */

GtkWidget    *epsimo_chat_page_new                    (void);
EpsimoSession *epsimo_chat_page_get_session           (EpsimoChatPage *self);
void          epsimo_chat_page_set_session            (EpsimoChatPage *self,
                                                       EpsimoSession  *session);
EpsimoProject *epsimo_chat_page_get_project           (EpsimoChatPage *self);
void          epsimo_chat_page_set_project            (EpsimoChatPage *self,
                                                       EpsimoProject  *project);
/* Returns: (transfer none) (nullable): the thread shown */
EpsimoThread *epsimo_chat_page_get_thread             (EpsimoChatPage *self);
gboolean      epsimo_chat_page_get_loading            (EpsimoChatPage *self);
/* Pays the message rows' one-time set-up now (epsimo_transcript_view_prepare_rows()). */
void          epsimo_chat_page_prepare_rows           (EpsimoChatPage *self);
/* Shows the thread @thread_id of the current project, now or once the threads are
 * loaded (restoring the last thread, or from a notification). Call it after setting the
 * project: a new project forgets a selection still waiting. */
void          epsimo_chat_page_select_thread          (EpsimoChatPage *self,
                                                       const char     *thread_id);
/* Puts @panel (nullable) in the side pane. */
void          epsimo_chat_page_set_side_panel         (EpsimoChatPage *self,
                                                       GtkWidget      *panel);
gboolean      epsimo_chat_page_get_side_panel_visible (EpsimoChatPage *self);
void          epsimo_chat_page_set_side_panel_visible (EpsimoChatPage *self,
                                                       gboolean        visible);

G_END_DECLS
