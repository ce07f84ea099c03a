/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "epsimo-session.h"
#include "api/epsimo-project.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_DATABASE_PANEL (epsimo_database_panel_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoDatabasePanel, epsimo_database_panel, EPSIMO, DATABASE_PANEL,
                      AdwBin)

/* The virtual database of one thread: its keys (never "messages", the conversation) with a
 * one-line preview of each value, and the chosen key's value in a JSON editor with Save,
 * Revert, Format, Copy and, where the server can delete keys (reference dialect only),
 * Delete. Keys are added from a popover (non-empty, unique). Unsaved edits stay on their key
 * (and on their thread when another thread is shown) until saved or reverted; saving first
 * checks the server still has the value the edit started from, and asks to overwrite or
 * reload when it does not. A failed save keeps the edit, marked unsaved, with the error.
 *
 * Properties: "session" (EpsimoSession, nullable), "project" (EpsimoProject, nullable),
 * "thread-id" (string, nullable). Changing any of them shows that thread's keys.
 *
 * Actions (group "database"): "save" (Ctrl+S), "revert", "format", "copy", "delete"
 * (reference dialect only, after a confirmation), "refresh", "add-key", "export" (a file
 * chooser, then epsimo_database_panel_export_to_file()), "import" (a file chooser, then
 * epsimo_database_panel_import_from_file()). Uses "win.toast" (s). */

GtkWidget     *epsimo_database_panel_new            (void);

EpsimoSession *epsimo_database_panel_get_session    (EpsimoDatabasePanel *self);
void           epsimo_database_panel_set_session    (EpsimoDatabasePanel *self,
                                                     EpsimoSession       *session);
EpsimoProject *epsimo_database_panel_get_project    (EpsimoDatabasePanel *self);
void           epsimo_database_panel_set_project    (EpsimoDatabasePanel *self,
                                                     EpsimoProject       *project);
const char    *epsimo_database_panel_get_thread_id  (EpsimoDatabasePanel *self);
void           epsimo_database_panel_set_thread_id  (EpsimoDatabasePanel *self,
                                                     const char          *thread_id);

/**
 * epsimo_database_panel_apply_state:
 * @values: (nullable): the thread state of a run's STATE event (the chat page's
 *   ::state-changed); NULL when the server does not send it (reference dialect)
 *
 * Shows the keys of @values ("messages" is ignored) as the thread's current values and
 * highlights those that changed for a few seconds. A key with an unsaved edit keeps the
 * edit and is marked "changed on the server" instead. Keys missing from @values are left
 * alone. With NULL, the keys are fetched again (and the changed ones highlighted). The
 * caller makes sure @values are of the thread shown.
 */
void           epsimo_database_panel_apply_state    (EpsimoDatabasePanel *self,
                                                     JsonObject          *values);

/* Fetches the keys again (the "database.refresh" action); changed keys are highlighted. */
void           epsimo_database_panel_refresh        (EpsimoDatabasePanel *self);

/**
 * epsimo_database_panel_export_to_file:
 * @file: where to write
 *
 * Fetches every key of the thread and writes them to @file as one JSON object (what the
 * export file chooser does once a file is chosen). Reports the outcome with a toast.
 */
void           epsimo_database_panel_export_to_file   (EpsimoDatabasePanel *self,
                                                       GFile               *file);

/**
 * epsimo_database_panel_import_from_file:
 * @file: a JSON file holding one object
 *
 * Reads @file, compares it with the thread's keys and asks, in a dialog listing the keys
 * that will be added and changed, whether to import; then sets each of those keys (what the
 * import file chooser does once a file is chosen). Errors and the outcome show as toasts.
 */
void           epsimo_database_panel_import_from_file (EpsimoDatabasePanel *self,
                                                       GFile               *file);

G_END_DECLS
