/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_THREAD (epsimo_thread_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoThread, epsimo_thread, EPSIMO, THREAD, GObject)

/* A new thread not yet on the server (no id). */
EpsimoThread *epsimo_thread_new               (const char    *name,
                                               const char    *assistant_id);
/* Reads `thread_id` (or `id`, required), `name`, `assistant_id`, `created_at`,
 * `updated_at` (or `last_activity`), `metadata`. */
EpsimoThread *epsimo_thread_new_from_json     (JsonObject    *object,
                                               GError       **error);
/* Updates @self in place, notifying what changed. On error @self is unchanged. */
gboolean      epsimo_thread_update_from_json  (EpsimoThread  *self,
                                               JsonObject    *object,
                                               GError       **error);
/* The body of POST /threads/: {name, assistant_id, metadata: {type: "thread",
 * ...}} (plus the reference's `configurable`); new node. */
JsonNode     *epsimo_thread_to_json           (EpsimoThread  *self,
                                               EpsimoDialect  dialect);

const char   *epsimo_thread_get_id            (EpsimoThread  *self);
/* May be NULL (an unnamed thread). */
const char   *epsimo_thread_get_name          (EpsimoThread  *self);
void          epsimo_thread_set_name          (EpsimoThread  *self,
                                               const char    *name);
const char   *epsimo_thread_get_assistant_id  (EpsimoThread  *self);
void          epsimo_thread_set_assistant_id  (EpsimoThread  *self,
                                               const char    *assistant_id);
/* May be NULL. */
GDateTime    *epsimo_thread_get_created_at    (EpsimoThread  *self);
/* The last activity: `updated_at`/`last_activity`, else created-at; may be NULL. */
GDateTime    *epsimo_thread_get_updated_at    (EpsimoThread  *self);
/* Records local activity (a message sent or received). */
void          epsimo_thread_set_updated_at    (EpsimoThread  *self,
                                               GDateTime     *updated_at);
/* May be NULL. Do not modify. */
JsonObject   *epsimo_thread_get_metadata      (EpsimoThread  *self);
/* Takes a deep copy (may be NULL). */
void          epsimo_thread_set_metadata      (EpsimoThread  *self,
                                               JsonObject    *metadata);

G_END_DECLS
