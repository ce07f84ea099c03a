/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_DATABASE_ENTRY (epsimo_database_entry_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoDatabaseEntry, epsimo_database_entry, EPSIMO, DATABASE_ENTRY,
                      GObject)

/* One key of a thread's database as the panel shows it: the value the server had when it was
 * loaded, the user's unsaved text, and what happened to it since.
 *
 * Properties (all notify on change): "key" (construct-only), "value" (JsonNode, nullable: a
 * key added here and not saved yet), "preview" (one line of compact JSON), "draft" (the
 * unsaved text, or NULL), "modified" (a draft exists), "server-changed" (the server's value
 * moved on while a draft was open), "highlighted" (changed a moment ago: cleared by itself
 * after EPSIMO_DATABASE_ENTRY_HIGHLIGHT_SECONDS), "saving", "error" (why the last save
 * failed), "status" (a short translated word for all this, or NULL). */

#define EPSIMO_DATABASE_ENTRY_HIGHLIGHT_SECONDS 4

EpsimoDatabaseEntry *epsimo_database_entry_new                (const char          *key,
                                                               JsonNode            *value);

const char          *epsimo_database_entry_get_key            (EpsimoDatabaseEntry *self);
/* Returns: (transfer none) (nullable) */
JsonNode            *epsimo_database_entry_get_value          (EpsimoDatabaseEntry *self);
/* Sets the loaded value (copied), dropping what was known newer. */
void                 epsimo_database_entry_set_value          (EpsimoDatabaseEntry *self,
                                                               JsonNode            *value);
const char          *epsimo_database_entry_get_preview        (EpsimoDatabaseEntry *self);

const char          *epsimo_database_entry_get_draft          (EpsimoDatabaseEntry *self);
void                 epsimo_database_entry_set_draft          (EpsimoDatabaseEntry *self,
                                                               const char          *draft);
gboolean             epsimo_database_entry_get_modified       (EpsimoDatabaseEntry *self);
/* Whether the key exists only here (added, never saved). */
gboolean             epsimo_database_entry_get_is_new         (EpsimoDatabaseEntry *self);

/* The server's newest value while a draft is open ("server-changed"), or NULL. */
JsonNode            *epsimo_database_entry_get_latest         (EpsimoDatabaseEntry *self);
/* Records that the server now has @latest (copied; NULL: the key is gone there). */
void                 epsimo_database_entry_set_server_changed (EpsimoDatabaseEntry *self,
                                                               JsonNode            *latest);
gboolean             epsimo_database_entry_get_server_changed (EpsimoDatabaseEntry *self);

/* Marks the entry as just changed; the mark goes after a few seconds. */
void                 epsimo_database_entry_highlight          (EpsimoDatabaseEntry *self);
gboolean             epsimo_database_entry_get_highlighted    (EpsimoDatabaseEntry *self);

void                 epsimo_database_entry_set_saving         (EpsimoDatabaseEntry *self,
                                                               gboolean             saving);
gboolean             epsimo_database_entry_get_saving         (EpsimoDatabaseEntry *self);
void                 epsimo_database_entry_set_error          (EpsimoDatabaseEntry *self,
                                                               const char          *error);
const char          *epsimo_database_entry_get_error          (EpsimoDatabaseEntry *self);

const char          *epsimo_database_entry_get_status         (EpsimoDatabaseEntry *self);

G_END_DECLS
