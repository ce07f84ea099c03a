/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_PARAMETER_ROW (epsimo_parameter_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoParameterRow, epsimo_parameter_row, EPSIMO, PARAMETER_ROW,
                      GtkListBoxRow)

/* One property of a function's parameters in the parameter builder: name, type,
 * description, required. Members of the property's schema it does not show (enum,
 * items, ...) are kept. Signals: ::changed (the user edited it), ::remove. */
GtkWidget  *epsimo_parameter_row_new          (const char         *name,
                                               JsonObject         *property,
                                               gboolean            required);
/* The name as typed, spaces trimmed (new string). */
char       *epsimo_parameter_row_dup_name     (EpsimoParameterRow *self);
gboolean    epsimo_parameter_row_get_required (EpsimoParameterRow *self);
/* The property's schema (new object). */
JsonObject *epsimo_parameter_row_dup_property (EpsimoParameterRow *self);
/* Marks the name as wrong, @problem saying why (NULL: fine). */
void        epsimo_parameter_row_set_problem  (EpsimoParameterRow *self,
                                               const char         *problem);
void        epsimo_parameter_row_focus_name   (EpsimoParameterRow *self);

G_END_DECLS
