/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-run"

#include "config.h"

#include <string.h>

#include "epsimo-test-run.h"

void
epsimo_test_collector_init (EpsimoTestCollector *collector)
{
  memset (collector, 0, sizeof *collector);
  collector->events = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_run_event_unref);
  collector->text = g_string_new (NULL);
}

void
epsimo_test_collector_clear (EpsimoTestCollector *collector)
{
  g_clear_pointer (&collector->events, g_ptr_array_unref);
  if (collector->text != NULL)
    g_string_free (g_steal_pointer (&collector->text), TRUE);
  g_clear_object (&collector->stop_result);
}

guint
epsimo_test_collector_count (EpsimoTestCollector *collector,
                             EpsimoRunEventKind   kind)
{
  guint count = 0;

  for (guint i = 0; i < collector->events->len; i++)
    if (((EpsimoRunEvent *) g_ptr_array_index (collector->events, i))->kind == kind)
      count++;
  return count;
}

EpsimoRunEvent *
epsimo_test_collector_find (EpsimoTestCollector *collector,
                            EpsimoRunEventKind   kind)
{
  for (guint i = 0; i < collector->events->len; i++)
    if (((EpsimoRunEvent *) g_ptr_array_index (collector->events, i))->kind == kind)
      return g_ptr_array_index (collector->events, i);
  return NULL;
}

EpsimoRunEvent *
epsimo_test_collector_last (EpsimoTestCollector *collector)
{
  g_assert_cmpuint (collector->events->len, >, 0);
  return g_ptr_array_index (collector->events, collector->events->len - 1);
}

static void
on_event (EpsimoRunStream *stream,
          EpsimoRunEvent  *event,
          gpointer         user_data)
{
  EpsimoTestCollector *collector = user_data;

  /* Nothing ever follows DONE or ERROR, nor a stop. */
  g_assert_false (collector->ended);
  g_assert_true (collector->events_at_stop == 0);

  g_ptr_array_add (collector->events, epsimo_run_event_ref (event));
  if (event->kind == EPSIMO_RUN_EVENT_TEXT_DELTA)
    {
      g_string_append (collector->text, event->text);
      collector->deltas++;
    }
  if (event->kind == EPSIMO_RUN_EVENT_DONE || event->kind == EPSIMO_RUN_EVENT_ERROR)
    collector->ended = TRUE;

  if (event->kind == EPSIMO_RUN_EVENT_TEXT_DELTA && collector->stop_service != NULL)
    {
      collector->events_at_stop = collector->events->len;
      epsimo_runs_service_stop_async (collector->stop_service, stream, NULL,
                                      epsimo_test_async_cb, &collector->stop_result);
      collector->stop_service = NULL;
    }
}

EpsimoRunStream *
epsimo_test_start_run (EpsimoRunsService    *service,
                       const char           *project_id,
                       const char           *thread_id,
                       const char           *assistant_id,
                       const char           *text,
                       EpsimoTestCollector  *collector,
                       GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  EpsimoRunStream *stream;

  epsimo_runs_service_start_async (service, project_id, thread_id, assistant_id, text, NULL,
                                   epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  stream = epsimo_runs_service_start_finish (service, result, error);
  if (stream != NULL)
    g_signal_connect (stream, "event", G_CALLBACK (on_event), collector);
  return stream;
}

void
epsimo_test_chat_init (EpsimoTestFixture *fixture,
                       EpsimoTestChat    *chat,
                       const char        *project_name)
{
  chat->project_id = epsimo_test_create_project (fixture, project_name);
  chat->assistant_id = epsimo_test_create_assistant (fixture, chat->project_id, "Echo");
  chat->thread_id = epsimo_test_create_thread (fixture, chat->project_id, chat->assistant_id,
                                               "Conversation");
}

void
epsimo_test_chat_clear (EpsimoTestChat *chat)
{
  g_clear_pointer (&chat->project_id, g_free);
  g_clear_pointer (&chat->assistant_id, g_free);
  g_clear_pointer (&chat->thread_id, g_free);
}
