/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Helpers for a function's parameters (a JSON Schema of an object). */

/* A deep copy keeping the order of members (the order the user wrote them in). */
JsonNode   *epsimo_schema_node_copy      (JsonNode   *node);
JsonObject *epsimo_schema_object_copy    (JsonObject *object);

/* An EpsimoJsonValidator: NULL when @node is an object schema
 * {"type": "object", "properties": {...}} whose `required` names only its properties,
 * else a translated message saying what is wrong. */
char       *epsimo_schema_validate       (JsonNode   *node,
                                          gpointer    user_data);

/* Whether @name is a valid function name: [A-Za-z_][A-Za-z0-9_]*. */
gboolean    epsimo_schema_is_identifier  (const char *name);

G_END_DECLS
