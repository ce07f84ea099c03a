/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * What the scripted assistant answers to a message: optional tool steps,
 * then a text that is handed out in small pieces. Nothing here knows about
 * HTTP or either dialect's wire format.
 */

typedef enum
{
  EPSIMO_TS_STEP_TOOL_CALL,
  EPSIMO_TS_STEP_TOOL_RESULT,
} EpsimoTsStepKind;

typedef struct
{
  EpsimoTsStepKind kind;
  char            *call_id;
  char            *tool_name;
  JsonObject      *args;
  char            *result;
  char            *db_key;
  JsonNode        *db_value;
} EpsimoTsStep;

typedef struct _EpsimoTsScript EpsimoTsScript;

EpsimoTsScript *epsimo_ts_script_new_for_message (const char     *message);
EpsimoTsScript *epsimo_ts_script_new_synthetic   (guint64         bytes,
                                                  guint64         pieces);
void            epsimo_ts_script_free            (EpsimoTsScript *script);
guint           epsimo_ts_script_get_n_steps     (EpsimoTsScript *script);
EpsimoTsStep   *epsimo_ts_script_get_step        (EpsimoTsScript *script,
                                                  guint           index);
gboolean        epsimo_ts_script_next_piece      (EpsimoTsScript *script,
                                                  GString        *piece);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoTsScript, epsimo_ts_script_free)

G_END_DECLS
