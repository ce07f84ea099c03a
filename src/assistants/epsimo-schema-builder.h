/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_SCHEMA_BUILDER (epsimo_schema_builder_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoSchemaBuilder, epsimo_schema_builder, EPSIMO, SCHEMA_BUILDER, AdwBin)

/* The parameter builder of a function: one row per property (name, type, description,
 * required) and Add Parameter. It writes the common case of a JSON Schema; members it does
 * not show are kept. ::changed when the user edits it; "problem" (string, nullable) says
 * what keeps its schema from being written (an unnamed or twice-named parameter). */
GtkWidget  *epsimo_schema_builder_new         (void);
/* Shows @schema (an object schema; NULL: none). Does not emit ::changed. */
void        epsimo_schema_builder_set_schema  (EpsimoSchemaBuilder *self,
                                               JsonObject          *schema);
/* The schema the rows describe (new object). */
JsonObject *epsimo_schema_builder_dup_schema  (EpsimoSchemaBuilder *self);
const char *epsimo_schema_builder_get_problem (EpsimoSchemaBuilder *self);
/* Adds a parameter "parameter_N" of type string, as the Add Parameter button does. */
void        epsimo_schema_builder_add         (EpsimoSchemaBuilder *self);
guint       epsimo_schema_builder_get_n_rows  (EpsimoSchemaBuilder *self);
GtkWidget  *epsimo_schema_builder_get_row     (EpsimoSchemaBuilder *self,
                                               guint                position);

G_END_DECLS
