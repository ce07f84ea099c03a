/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

typedef enum
{
  EPSIMO_MESSAGE_ROLE_USER,
  EPSIMO_MESSAGE_ROLE_ASSISTANT,
  EPSIMO_MESSAGE_ROLE_TOOL,
  EPSIMO_MESSAGE_ROLE_SYSTEM,
} EpsimoMessageRole;

#define EPSIMO_TYPE_MESSAGE_ROLE (epsimo_message_role_get_type ())
GType       epsimo_message_role_get_type       (void) G_GNUC_CONST;

/* Accepts the reference roles (user, assistant, tool, system) and the live
 * types (human, ai, AIMessageChunk, tool, system, and their *Message forms). */
gboolean    epsimo_message_role_from_string    (const char        *text,
                                                EpsimoMessageRole *out_role);
/* The reference name: "user", "assistant", "tool", "system". */
const char *epsimo_message_role_to_string      (EpsimoMessageRole  role);

#define EPSIMO_TYPE_MESSAGE (epsimo_message_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMessage, epsimo_message, EPSIMO, MESSAGE, GObject)

EpsimoMessage *epsimo_message_new            (EpsimoMessageRole  role,
                                              const char        *content);
/* Reads the reference shape {message_id, role, content, timestamp} or the
 * live one {id, type, content (a string or an array of parts),
 * tool_calls?, tool_call_id?, name?}. `role` or `type` is required; the id is
 * optional (reference thread details have none). */
EpsimoMessage *epsimo_message_new_from_json  (JsonObject        *object,
                                              GError           **error);
/* Reference {role, content}; live {role, content, type} (an `input` item of
 * /runs/stream). New node. */
JsonNode      *epsimo_message_to_json        (EpsimoMessage     *self,
                                              EpsimoDialect      dialect);

/* May be NULL. */
const char        *epsimo_message_get_id           (EpsimoMessage *self);
void               epsimo_message_set_id           (EpsimoMessage *self,
                                                    const char    *id);
EpsimoMessageRole  epsimo_message_get_role         (EpsimoMessage *self);
/* Never NULL. */
const char        *epsimo_message_get_content      (EpsimoMessage *self);
void               epsimo_message_set_content      (EpsimoMessage *self,
                                                    const char    *content);
/* Appends a streamed delta (notifies "content"). */
void               epsimo_message_append_content   (EpsimoMessage *self,
                                                    const char    *delta);
/* May be NULL. */
GDateTime         *epsimo_message_get_timestamp    (EpsimoMessage *self);
void               epsimo_message_set_timestamp    (EpsimoMessage *self,
                                                    GDateTime     *timestamp);
/* For a tool result: the call it answers. May be NULL. */
const char        *epsimo_message_get_tool_call_id (EpsimoMessage *self);
/* For a tool result: the tool's name. May be NULL. */
const char        *epsimo_message_get_name         (EpsimoMessage *self);
/* The `tool_calls` array ({id, name, args}) as sent, or NULL. Do not modify. */
JsonArray         *epsimo_message_get_tool_calls   (EpsimoMessage *self);
/* Takes a deep copy (may be NULL). */
void               epsimo_message_set_tool_calls   (EpsimoMessage *self,
                                                    JsonArray     *tool_calls);

G_END_DECLS
