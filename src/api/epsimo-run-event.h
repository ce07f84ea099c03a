/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EpsimoRunEventKind:
 * @EPSIMO_RUN_EVENT_STARTED: the run began (@run_id)
 * @EPSIMO_RUN_EVENT_TEXT_DELTA: new text to append to the reply (@text, @message_id)
 * @EPSIMO_RUN_EVENT_TOOL_CALL: the assistant calls a tool (@tool_call_id, @tool_name,
 *   @arguments, @message_id); once per call, with its complete arguments
 * @EPSIMO_RUN_EVENT_TOOL_RESULT: a tool answered (@tool_call_id, @tool_name, @content,
 *   @message_id)
 * @EPSIMO_RUN_EVENT_STATE: the thread state after a step (@values)
 * @EPSIMO_RUN_EVENT_ERROR: the run failed or the reply was cut off (@error_message,
 *   @error); nothing follows
 * @EPSIMO_RUN_EVENT_DONE: the reply is complete; nothing follows
 */
typedef enum
{
  EPSIMO_RUN_EVENT_STARTED,
  EPSIMO_RUN_EVENT_TEXT_DELTA,
  EPSIMO_RUN_EVENT_TOOL_CALL,
  EPSIMO_RUN_EVENT_TOOL_RESULT,
  EPSIMO_RUN_EVENT_STATE,
  EPSIMO_RUN_EVENT_ERROR,
  EPSIMO_RUN_EVENT_DONE,
} EpsimoRunEventKind;

#define EPSIMO_TYPE_RUN_EVENT_KIND (epsimo_run_event_kind_get_type ())
GType epsimo_run_event_kind_get_type (void);

/**
 * EpsimoRunEvent:
 * @kind: what happened
 * @run_id: (nullable): the run, on STARTED
 * @message_id: (nullable): the message the text, call or result belongs to
 * @text: (nullable): the new text of a TEXT_DELTA (never text already sent)
 * @tool_call_id: (nullable): the call a TOOL_CALL or TOOL_RESULT is about
 * @tool_name: (nullable): the tool's name
 * @arguments: (nullable): the call's arguments as JSON text
 * @content: (nullable): the tool's result as text
 * @values: (nullable): the thread state of a STATE event
 * @error_message: (nullable): a message a user can read, on ERROR
 * @error: (nullable): the same as an EPSIMO_API_ERROR (NETWORK when the
 *   connection dropped or went quiet, SERVER when the server reported an
 *   error, PROTOCOL for a reply that could not be read), on ERROR
 *
 * One step of a run, the same for both wire dialects. Reference counted; the
 * fields are read-only for everyone but the code that made the event.
 */
typedef struct
{
  EpsimoRunEventKind kind;
  char              *run_id;
  char              *message_id;
  char              *text;
  char              *tool_call_id;
  char              *tool_name;
  char              *arguments;
  char              *content;
  JsonObject        *values;
  char              *error_message;
  GError            *error;
} EpsimoRunEvent;

#define EPSIMO_TYPE_RUN_EVENT (epsimo_run_event_get_type ())
GType           epsimo_run_event_get_type (void);

/* Returns a new event of @kind with every field NULL (transfer full). */
EpsimoRunEvent *epsimo_run_event_new      (EpsimoRunEventKind kind);
/* Returns @self with one more reference. */
EpsimoRunEvent *epsimo_run_event_ref      (EpsimoRunEvent    *self);
/* Drops a reference; the last one frees the event and its fields. */
void            epsimo_run_event_unref    (EpsimoRunEvent    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoRunEvent, epsimo_run_event_unref)

G_END_DECLS
