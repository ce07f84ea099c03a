/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-runs-service.h"
#include "epsimo-test-harness.h"

G_BEGIN_DECLS

/* What a run stream emitted, for the tests that start runs (runs service, faults). */
typedef struct
{
  GPtrArray         *events;         /* EpsimoRunEvent, in order */
  GString           *text;           /* the text deltas joined */
  guint              deltas;
  gboolean           ended;          /* DONE or ERROR seen */
  EpsimoRunsService *stop_service;   /* when set, the run is stopped on the first text delta */
  GAsyncResult      *stop_result;
  guint              events_at_stop;
} EpsimoTestCollector;

void             epsimo_test_collector_init  (EpsimoTestCollector *collector);
void             epsimo_test_collector_clear (EpsimoTestCollector *collector);
/* How many events of @kind, the first of them (or NULL), the last event of all. */
guint            epsimo_test_collector_count (EpsimoTestCollector *collector,
                                              EpsimoRunEventKind   kind);
EpsimoRunEvent  *epsimo_test_collector_find  (EpsimoTestCollector *collector,
                                              EpsimoRunEventKind   kind);
EpsimoRunEvent  *epsimo_test_collector_last  (EpsimoTestCollector *collector);

/* Starts a run and sends its events to @collector; NULL with @error when it did not start. */
EpsimoRunStream *epsimo_test_start_run       (EpsimoRunsService   *service,
                                              const char          *project_id,
                                              const char          *thread_id,
                                              const char          *assistant_id,
                                              const char          *text,
                                              EpsimoTestCollector *collector,
                                              GError             **error);

/* A project named @project_name with an assistant "Echo" and a thread "Conversation". */
typedef struct
{
  char *project_id;
  char *assistant_id;
  char *thread_id;
} EpsimoTestChat;

void             epsimo_test_chat_init       (EpsimoTestFixture   *fixture,
                                              EpsimoTestChat      *chat,
                                              const char          *project_name);
void             epsimo_test_chat_clear      (EpsimoTestChat      *chat);

G_END_DECLS
