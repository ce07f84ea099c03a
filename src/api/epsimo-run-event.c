/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-run-event"

#include "config.h"

#include "epsimo-run-event.h"

G_DEFINE_ENUM_TYPE (EpsimoRunEventKind, epsimo_run_event_kind,
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_STARTED, "started"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_TEXT_DELTA, "text-delta"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_TOOL_CALL, "tool-call"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_TOOL_RESULT, "tool-result"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_STATE, "state"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (EPSIMO_RUN_EVENT_DONE, "done"))

G_DEFINE_BOXED_TYPE (EpsimoRunEvent, epsimo_run_event,
                     epsimo_run_event_ref, epsimo_run_event_unref)

/**
 * epsimo_run_event_new:
 * @kind: what the event tells
 *
 * Returns: (transfer full): a new event with every other field unset
 */
EpsimoRunEvent *
epsimo_run_event_new (EpsimoRunEventKind kind)
{
  EpsimoRunEvent *self = g_atomic_rc_box_new0 (EpsimoRunEvent);

  self->kind = kind;

  return self;
}

/**
 * epsimo_run_event_ref:
 * @self: an event
 *
 * Returns: (transfer full): @self
 */
EpsimoRunEvent *
epsimo_run_event_ref (EpsimoRunEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
epsimo_run_event_clear (EpsimoRunEvent *self)
{
  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->tool_call_id, g_free);
  g_clear_pointer (&self->tool_name, g_free);
  g_clear_pointer (&self->arguments, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->values, json_object_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_error (&self->error);
}

/**
 * epsimo_run_event_unref:
 * @self: (transfer full): an event
 *
 * Drops a reference to @self, freeing it with the last one.
 */
void
epsimo_run_event_unref (EpsimoRunEvent *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify)epsimo_run_event_clear);
}
