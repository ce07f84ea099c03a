/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_TOOL (epsimo_tool_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoTool, epsimo_tool, EPSIMO, TOOL, GObject)

/* Which settings a tool type takes (for the editor and for writing). */
typedef enum
{
  EPSIMO_TOOL_SETTING_NONE            = 0,
  EPSIMO_TOOL_SETTING_MAX_RESULTS     = 1 << 0, /* searches */
  EPSIMO_TOOL_SETTING_TOP_K           = 1 << 1, /* retrieval */
  EPSIMO_TOOL_SETTING_SCORE_THRESHOLD = 1 << 2, /* retrieval */
  EPSIMO_TOOL_SETTING_PARAMETERS      = 1 << 3, /* function: JSON Schema */
} EpsimoToolSettings;

#define EPSIMO_TOOL_DEFAULT_MAX_RESULTS     5
#define EPSIMO_TOOL_DEFAULT_TOP_K           4
#define EPSIMO_TOOL_DEFAULT_SCORE_THRESHOLD 0.5

EpsimoToolSettings epsimo_tool_type_get_settings (const char *type);

/* A tool of @type ("search_tavily", "retrieval", "function", ...) with the
 * defaults of its settings; no id (one is made when written live). */
EpsimoTool *epsimo_tool_new                  (const char    *type);
/* The SDK's presets: functions with their JSON Schema. */
EpsimoTool *epsimo_tool_new_update_database  (void);
EpsimoTool *epsimo_tool_new_manage_task      (void);
/* Reads the flat reference shape {type, max_results, name, description,
 * parameters, top_k, score_threshold} or the live one {id, name, type,
 * description, config: {...}}. `type` is required. Unknown settings are kept
 * and written back. */
EpsimoTool *epsimo_tool_new_from_json        (JsonObject    *object,
                                              GError       **error);
/* The dialect's shape; new node. In the live dialect a tool without an id
 * gets one ("<type>-<8 hex>"), kept on @self. */
JsonNode   *epsimo_tool_to_json              (EpsimoTool    *self,
                                              EpsimoDialect  dialect);
/* A deep copy, id included (clear it with epsimo_tool_set_id() for a new one). */
EpsimoTool *epsimo_tool_copy                 (EpsimoTool    *self);

const char *epsimo_tool_get_id               (EpsimoTool    *self);
void        epsimo_tool_set_id               (EpsimoTool    *self,
                                              const char    *id);
const char *epsimo_tool_get_tool_type        (EpsimoTool    *self);
void        epsimo_tool_set_tool_type        (EpsimoTool    *self,
                                              const char    *type);
const char *epsimo_tool_get_name             (EpsimoTool    *self);
void        epsimo_tool_set_name             (EpsimoTool    *self,
                                              const char    *name);
const char *epsimo_tool_get_description      (EpsimoTool    *self);
void        epsimo_tool_set_description      (EpsimoTool    *self,
                                              const char    *description);
int         epsimo_tool_get_max_results      (EpsimoTool    *self);
void        epsimo_tool_set_max_results      (EpsimoTool    *self,
                                              int            max_results);
int         epsimo_tool_get_top_k            (EpsimoTool    *self);
void        epsimo_tool_set_top_k            (EpsimoTool    *self,
                                              int            top_k);
double      epsimo_tool_get_score_threshold  (EpsimoTool    *self);
void        epsimo_tool_set_score_threshold  (EpsimoTool    *self,
                                              double         score_threshold);
/* A function's JSON Schema, or NULL. Do not modify. */
JsonObject *epsimo_tool_get_parameters       (EpsimoTool    *self);
/* Takes a deep copy (may be NULL). */
void        epsimo_tool_set_parameters       (EpsimoTool    *self,
                                              JsonObject    *parameters);

G_END_DECLS
