/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-server.h"
#include "epsimo-ts-http.h"

G_BEGIN_DECLS

#define EPSIMO_TS_MAX_PARAMS 4

/* One API request while it is being answered. */
typedef struct
{
  EpsimoTsServer    *srv;
  SoupServerMessage *msg;
  const char        *method;
  char              *path;
  GHashTable        *query;
  GStrv              segments;
  guint              n_segments;
  const char        *params[EPSIMO_TS_MAX_PARAMS];
  EpsimoTsDialect    dialect;
  EpsimoTsUser      *user;
  EpsimoTsProject   *project;
  JsonNode          *body;
} EpsimoTsRequest;

EpsimoTsRequest   *epsimo_ts_request_new           (EpsimoTsServer    *srv,
                                                    SoupServerMessage *msg,
                                                    const char        *path,
                                                    GHashTable        *query);
void               epsimo_ts_request_free          (EpsimoTsRequest   *req);

const char        *epsimo_ts_request_query         (EpsimoTsRequest   *req,
                                                    const char        *name);
gboolean           epsimo_ts_request_is_live       (EpsimoTsRequest   *req);

void               epsimo_ts_request_error         (EpsimoTsRequest   *req,
                                                    guint              status,
                                                    const char        *detail,
                                                    const char        *field,
                                                    const char        *code);
void               epsimo_ts_request_not_found     (EpsimoTsRequest   *req,
                                                    const char        *what);

/* Body and member checks. Each returns NULL/FALSE after answering 400/422. */
JsonObject        *epsimo_ts_request_body          (EpsimoTsRequest   *req);
gboolean           epsimo_ts_request_string        (EpsimoTsRequest   *req,
                                                    JsonObject        *obj,
                                                    const char        *member,
                                                    gboolean           required,
                                                    const char       **out);
gboolean           epsimo_ts_request_int           (EpsimoTsRequest   *req,
                                                    JsonObject        *obj,
                                                    const char        *member,
                                                    gboolean           required,
                                                    gint64            *out,
                                                    gboolean          *present);
gboolean           epsimo_ts_request_bool          (EpsimoTsRequest   *req,
                                                    JsonObject        *obj,
                                                    const char        *member,
                                                    gboolean          *out,
                                                    gboolean          *present);
gboolean           epsimo_ts_request_object        (EpsimoTsRequest   *req,
                                                    JsonObject        *obj,
                                                    const char        *member,
                                                    gboolean           required,
                                                    JsonObject       **out);

/* Lookups scoped to the caller's token: NULL after answering 404/403. */
EpsimoTsProject   *epsimo_ts_request_own_project   (EpsimoTsRequest   *req,
                                                    const char        *project_id);
EpsimoTsAssistant *epsimo_ts_request_assistant     (EpsimoTsRequest   *req,
                                                    const char        *assistant_id);
EpsimoTsThread    *epsimo_ts_request_thread        (EpsimoTsRequest   *req,
                                                    const char        *thread_id);
EpsimoTsFile      *epsimo_ts_request_file          (EpsimoTsRequest   *req,
                                                    const char        *file_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoTsRequest, epsimo_ts_request_free)

G_END_DECLS
