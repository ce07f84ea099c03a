/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-tool.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_TOOL_ROW (epsimo_tool_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoToolRow, epsimo_tool_row, EPSIMO, TOOL_ROW, AdwExpanderRow)

/* One tool of the assistant being edited, with the settings form of its type; edits go
 * straight to the EpsimoTool. ::changed when the user edits it; ::remove when the user
 * asks to remove it. "problem" (string, nullable): what keeps it from being saved, with
 * where ("Function “lookup”, parameters: Line 3, column 5: …"). */
GtkWidget  *epsimo_tool_row_new            (EpsimoTool    *tool);
EpsimoTool *epsimo_tool_row_get_tool       (EpsimoToolRow *self);
const char *epsimo_tool_row_get_problem    (EpsimoToolRow *self);
/* Another function of the assistant has the same name (the editor knows the others). */
void        epsimo_tool_row_set_name_taken (EpsimoToolRow *self,
                                            gboolean       name_taken);
/* Expands the row and focuses the first field that needs attention. */
void        epsimo_tool_row_focus          (EpsimoToolRow *self);

G_END_DECLS
