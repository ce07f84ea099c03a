/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECT (epsimo_project_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProject, epsimo_project, EPSIMO, PROJECT, GObject)

/* A new project not yet on the server (no id). */
EpsimoProject *epsimo_project_new             (const char     *name,
                                               const char     *description);
/* Reads `project_id` (or `id`, required), `name` (required), `description`,
 * `created_at`, `metadata`. Tokens are not part of the model: see
 * epsimo_json_get_token(). */
EpsimoProject *epsimo_project_new_from_json   (JsonObject     *object,
                                               GError        **error);
/* Updates @self in place from a server reply, notifying what changed.
 * On error @self is left unchanged. */
gboolean       epsimo_project_update_from_json (EpsimoProject *self,
                                                JsonObject    *object,
                                                GError       **error);
/* {name, description, metadata}: the body of POST and PUT. Returns a new node. */
JsonNode      *epsimo_project_to_json         (EpsimoProject  *self,
                                               EpsimoDialect   dialect);

const char    *epsimo_project_get_id          (EpsimoProject  *self);
const char    *epsimo_project_get_name        (EpsimoProject  *self);
void           epsimo_project_set_name        (EpsimoProject  *self,
                                               const char     *name);
const char    *epsimo_project_get_description (EpsimoProject  *self);
void           epsimo_project_set_description (EpsimoProject  *self,
                                               const char     *description);
/* May be NULL. */
GDateTime     *epsimo_project_get_created_at  (EpsimoProject  *self);
/* May be NULL. Do not modify: set a new object instead. */
JsonObject    *epsimo_project_get_metadata    (EpsimoProject  *self);
/* Takes a deep copy of @metadata (may be NULL). */
void           epsimo_project_set_metadata    (EpsimoProject  *self,
                                               JsonObject     *metadata);

G_END_DECLS
