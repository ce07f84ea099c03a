/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ASSISTANT_EDITOR (epsimo_assistant_editor_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAssistantEditor, epsimo_assistant_editor, EPSIMO, ASSISTANT_EDITOR,
                      AdwBin)

/* The form of one assistant: name, model, public, instructions (markdown) and tools with
 * their settings. It edits a copy (the draft) and keeps it until saved or cleared, so it
 * survives the page being hidden. Its buttons use the page's actions ("assistants.back",
 * "assistants.save"); it installs "editor.add-tool" (s: a catalogue key) and
 * "editor.set-model" (s).
 *
 * Properties (read-only): "dirty" (unsaved changes), "can-save" (nothing invalid and not
 * saving), "saving", "problem" (the first thing that blocks saving, with where). */
GtkWidget       *epsimo_assistant_editor_new            (void);

/* Starts editing a copy of @assistant (NULL: a new assistant) of @project_id; whatever was
 * being edited is dropped. */
void             epsimo_assistant_editor_edit           (EpsimoAssistantEditor *self,
                                                         EpsimoSession         *session,
                                                         const char            *project_id,
                                                         EpsimoAssistant       *assistant);
/* Drops the draft and cancels a save in progress. */
void             epsimo_assistant_editor_clear          (EpsimoAssistantEditor *self);
gboolean         epsimo_assistant_editor_is_editing     (EpsimoAssistantEditor *self);
/* The assistant as the server has it, NULL while new. */
EpsimoAssistant *epsimo_assistant_editor_get_original   (EpsimoAssistantEditor *self);
EpsimoAssistant *epsimo_assistant_editor_get_draft      (EpsimoAssistantEditor *self);
EpsimoSession   *epsimo_assistant_editor_get_session    (EpsimoAssistantEditor *self);
const char      *epsimo_assistant_editor_get_project_id (EpsimoAssistantEditor *self);
gboolean         epsimo_assistant_editor_get_dirty      (EpsimoAssistantEditor *self);
gboolean         epsimo_assistant_editor_get_can_save   (EpsimoAssistantEditor *self);
gboolean         epsimo_assistant_editor_get_saving     (EpsimoAssistantEditor *self);
const char      *epsimo_assistant_editor_get_problem    (EpsimoAssistantEditor *self);
/* The Add Tool menu: a list of EpsimoCatalogueEntry. */
void             epsimo_assistant_editor_set_catalogue  (EpsimoAssistantEditor *self,
                                                         GListModel            *catalogue);
/* Adds a tool for the catalogue entry @key (a tool type or "preset:..."). */
gboolean         epsimo_assistant_editor_add_tool       (EpsimoAssistantEditor *self,
                                                         const char            *key);

/* Creates or updates the assistant in the server's dialect. On a 422 the field the server
 * names is marked (else the message shows in a banner); nothing typed is lost. */
void             epsimo_assistant_editor_save_async     (EpsimoAssistantEditor *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
/* Returns: (transfer full): the assistant as saved */
EpsimoAssistant *epsimo_assistant_editor_save_finish    (EpsimoAssistantEditor *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

G_END_DECLS
