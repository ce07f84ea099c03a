/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  EPSIMO_TOOL_CALL_RUNNING,
  EPSIMO_TOOL_CALL_DONE,
  EPSIMO_TOOL_CALL_FAILED,
} EpsimoToolCallStatus;

#define EPSIMO_TYPE_TOOL_CALL (epsimo_tool_call_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoToolCall, epsimo_tool_call, EPSIMO, TOOL_CALL, GObject)

/* One call of a tool by the assistant, shown as a card in the assistant's turn. Properties
 * (all notify): "id", "name", "arguments" (JSON text), "result" (text, often JSON),
 * "status", "expanded" (the card's state, kept here so it survives row recycling). */

EpsimoToolCall       *epsimo_tool_call_new           (const char           *id,
                                                      const char           *name,
                                                      const char           *arguments);
/* May be NULL. */
const char           *epsimo_tool_call_get_id        (EpsimoToolCall       *self);
/* Never NULL. */
const char           *epsimo_tool_call_get_name      (EpsimoToolCall       *self);
/* May be NULL. */
const char           *epsimo_tool_call_get_arguments (EpsimoToolCall       *self);
void                  epsimo_tool_call_set_arguments (EpsimoToolCall       *self,
                                                      const char           *arguments);
/* May be NULL (no result yet). */
const char           *epsimo_tool_call_get_result    (EpsimoToolCall       *self);
void                  epsimo_tool_call_set_result    (EpsimoToolCall       *self,
                                                      const char           *result);
EpsimoToolCallStatus  epsimo_tool_call_get_status    (EpsimoToolCall       *self);
void                  epsimo_tool_call_set_status    (EpsimoToolCall       *self,
                                                      EpsimoToolCallStatus  status);
gboolean              epsimo_tool_call_get_expanded  (EpsimoToolCall       *self);
void                  epsimo_tool_call_set_expanded  (EpsimoToolCall       *self,
                                                      gboolean              expanded);

G_END_DECLS
