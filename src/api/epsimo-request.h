/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

/**
 * EpsimoAuthKind:
 * @EPSIMO_AUTH_NONE: no Authorization header (signup, login)
 * @EPSIMO_AUTH_USER: the user token from login
 * @EPSIMO_AUTH_PROJECT: the token of one project (assistants, threads, runs,
 *   files, database); the client fetches and caches it
 */
typedef enum
{
  EPSIMO_AUTH_NONE,
  EPSIMO_AUTH_USER,
  EPSIMO_AUTH_PROJECT,
} EpsimoAuthKind;

#define EPSIMO_TYPE_REQUEST (epsimo_request_get_type ())

/**
 * EpsimoRequest:
 *
 * One API call to be sent by EpsimoClient: method, path, query, JSON body,
 * the token it needs and, for calls whose path differs between the two
 * dialects, the reference dialect's alternative. Reference counted; do not
 * change a request once it was handed to the client.
 */
typedef struct _EpsimoRequest EpsimoRequest;

GType          epsimo_request_get_type        (void) G_GNUC_CONST;

/**
 * epsimo_request_new:
 * @method: an HTTP method ("GET", "POST", ...)
 * @path: the path below the base URL, starting with "/" (it may carry a
 *   query already encoded; ids put into it must be escaped by the caller,
 *   see epsimo_request_escape())
 *
 * The request uses the user token until epsimo_request_set_auth() says
 * otherwise, and is idempotent when @method is (GET, HEAD, PUT, DELETE,
 * OPTIONS) until epsimo_request_set_idempotent() says otherwise.
 *
 * Returns: (transfer full): a new request
 */
EpsimoRequest *epsimo_request_new             (const char     *method,
                                               const char     *path);
EpsimoRequest *epsimo_request_ref             (EpsimoRequest  *self);
void           epsimo_request_unref           (EpsimoRequest  *self);

/**
 * epsimo_request_set_body:
 * @body: (nullable) (transfer none): the JSON body; the request keeps a copy
 */
void           epsimo_request_set_body        (EpsimoRequest  *self,
                                               JsonNode       *body);

/**
 * epsimo_request_add_query:
 *
 * Appends `name=value` (both escaped here) to the query of the path of
 * either dialect.
 */
void           epsimo_request_add_query       (EpsimoRequest  *self,
                                               const char     *name,
                                               const char     *value);

/**
 * epsimo_request_set_auth:
 * @project_id: (nullable): required for %EPSIMO_AUTH_PROJECT
 */
void           epsimo_request_set_auth        (EpsimoRequest  *self,
                                               EpsimoAuthKind  auth,
                                               const char     *project_id);

/**
 * epsimo_request_set_idempotent:
 *
 * Whether sending the request twice does no more harm than sending it once.
 * Only idempotent requests are retried after a 5xx or a dropped connection;
 * the others only when the server certainly did not apply them (429,
 * connection refused, unknown host).
 */
void           epsimo_request_set_idempotent  (EpsimoRequest  *self,
                                               gboolean        idempotent);

/**
 * epsimo_request_set_reference:
 * @method: the reference dialect's method
 * @path: the reference dialect's path, as for epsimo_request_new()
 * @body: (nullable) (transfer none): its body (copied); NULL sends no body
 *
 * Gives the reference dialect's form of this call; the form given to
 * epsimo_request_new() is then the live dialect's. Without it, both dialects
 * use the same form.
 */
void           epsimo_request_set_reference   (EpsimoRequest  *self,
                                               const char     *method,
                                               const char     *path,
                                               JsonNode       *body);

gboolean       epsimo_request_has_reference   (EpsimoRequest  *self);
EpsimoAuthKind epsimo_request_get_auth        (EpsimoRequest  *self);
const char    *epsimo_request_get_project_id  (EpsimoRequest  *self);

/* The form sent to a server of @dialect (UNKNOWN and LIVE give the live
 * form). The path returned by get_path is without the added query. */
const char    *epsimo_request_get_method      (EpsimoRequest  *self,
                                               EpsimoDialect   dialect);
const char    *epsimo_request_get_path        (EpsimoRequest  *self,
                                               EpsimoDialect   dialect);
JsonNode      *epsimo_request_get_body        (EpsimoRequest  *self,
                                               EpsimoDialect   dialect);
gboolean       epsimo_request_is_idempotent   (EpsimoRequest  *self,
                                               EpsimoDialect   dialect);

/**
 * epsimo_request_dup_path_and_query:
 *
 * Returns: (transfer full): the path of @dialect with the query added by
 *   epsimo_request_add_query()
 */
char          *epsimo_request_dup_path_and_query (EpsimoRequest *self,
                                                  EpsimoDialect  dialect);

/**
 * epsimo_request_escape:
 * @segment: an id or name to put into a path
 *
 * Returns: (transfer full): @segment escaped as one path segment ("/" too)
 */
char          *epsimo_request_escape          (const char     *segment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoRequest, epsimo_request_unref)

G_END_DECLS
