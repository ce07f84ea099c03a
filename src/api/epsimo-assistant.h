/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"
#include "epsimo-tool.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ASSISTANT (epsimo_assistant_get_type ())

#define EPSIMO_ASSISTANT_DEFAULT_MODEL "gpt-4o"

G_DECLARE_FINAL_TYPE (EpsimoAssistant, epsimo_assistant, EPSIMO, ASSISTANT, GObject)

/* A new assistant not yet on the server: model "gpt-4o", no tools. */
EpsimoAssistant *epsimo_assistant_new              (const char      *name);
/* Reads `assistant_id` (or `id`, required), `name` (required), `public`,
 * `created_at`, `metadata`, `tags` and `config` in the reference (flat) or the
 * live (namespaced "type==agent/...") shape. A malformed tool is an error. */
EpsimoAssistant *epsimo_assistant_new_from_json    (JsonObject      *object,
                                                    GError         **error);
/* Updates @self in place (tools replaced), notifying what changed. On error
 * @self is left unchanged. */
gboolean         epsimo_assistant_update_from_json (EpsimoAssistant *self,
                                                    JsonObject      *object,
                                                    GError         **error);
/* The body of POST and PUT in the dialect's shape; new node. Tools without an
 * id get one in the live dialect. */
JsonNode        *epsimo_assistant_to_json          (EpsimoAssistant *self,
                                                    EpsimoDialect    dialect);
/* A deep copy (tools copied too) for "Duplicate"; the id is kept: the caller
 * creates the duplicate from epsimo_assistant_to_json(). */
EpsimoAssistant *epsimo_assistant_copy             (EpsimoAssistant *self);

const char  *epsimo_assistant_get_id           (EpsimoAssistant *self);
const char  *epsimo_assistant_get_name         (EpsimoAssistant *self);
void         epsimo_assistant_set_name         (EpsimoAssistant *self,
                                                const char      *name);
const char  *epsimo_assistant_get_model        (EpsimoAssistant *self);
void         epsimo_assistant_set_model        (EpsimoAssistant *self,
                                                const char      *model);
const char  *epsimo_assistant_get_instructions (EpsimoAssistant *self);
void         epsimo_assistant_set_instructions (EpsimoAssistant *self,
                                                const char      *instructions);
gboolean     epsimo_assistant_get_public       (EpsimoAssistant *self);
void         epsimo_assistant_set_public       (EpsimoAssistant *self,
                                                gboolean         public_);
/* May be NULL. */
GDateTime   *epsimo_assistant_get_created_at   (EpsimoAssistant *self);
/* A GListModel of EpsimoTool (the "tools" property); it stays the same object
 * for the life of @self. */
GListModel  *epsimo_assistant_get_tools        (EpsimoAssistant *self);
void         epsimo_assistant_add_tool         (EpsimoAssistant *self,
                                                EpsimoTool      *tool);
void         epsimo_assistant_remove_tool      (EpsimoAssistant *self,
                                                guint            position);
/* Replaces all tools by @tools (EpsimoTool items; the same objects, not copies). */
void         epsimo_assistant_set_tools        (EpsimoAssistant *self,
                                                GListModel      *tools);
/* May be NULL. Do not modify. */
JsonObject  *epsimo_assistant_get_metadata     (EpsimoAssistant *self);
/* Takes a deep copy (may be NULL). */
void         epsimo_assistant_set_metadata     (EpsimoAssistant *self,
                                                JsonObject      *metadata);
/* Never NULL (an empty array when there are none). */
const char * const *epsimo_assistant_get_tags  (EpsimoAssistant *self);
void         epsimo_assistant_set_tags         (EpsimoAssistant *self,
                                                const char * const *tags);

G_END_DECLS
