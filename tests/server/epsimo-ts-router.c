/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-router.h"
#include "epsimo-ts-routes.h"

typedef enum
{
  AUTH_NONE,
  AUTH_USER,
  AUTH_PROJECT,
  AUTH_ANY,
} Auth;

#define LIVE EPSIMO_TS_DIALECT_LIVE
#define REF  EPSIMO_TS_DIALECT_REFERENCE
#define BOTH EPSIMO_TS_DIALECT_BOTH

typedef struct
{
  const char *method;
  const char *pattern;
  EpsimoTsDialect dialects;
  Auth auth;
  void (*handler) (EpsimoTsRequest *req);
} Route;

/* "*" matches one non-empty path segment; trailing slashes do not matter. */
#define R(name) epsimo_ts_route_##name

static const Route routes[] = {
  { "POST",   "/auth/signup",                     BOTH, AUTH_NONE,    R (signup) },
  { "POST",   "/auth/login",                      BOTH, AUTH_NONE,    R (login) },
  { "GET",    "/auth/thread-info",                BOTH, AUTH_ANY,     R (thread_info) },

  { "GET",    "/projects",                        BOTH, AUTH_USER,    R (projects_list) },
  { "POST",   "/projects",                        BOTH, AUTH_USER,    R (projects_create) },
  { "GET",    "/projects/*",                      BOTH, AUTH_USER,    R (project_get) },
  { "PUT",    "/projects/*",                      BOTH, AUTH_USER,    R (project_update) },
  { "DELETE", "/projects/*",                      BOTH, AUTH_USER,    R (project_delete) },

  { "GET",    "/assistants",                      BOTH, AUTH_PROJECT, R (assistants_list) },
  { "POST",   "/assistants",                      BOTH, AUTH_PROJECT, R (assistants_create) },
  { "GET",    "/assistants/*",                    BOTH, AUTH_PROJECT, R (assistant_get) },
  { "PUT",    "/assistants/*",                    BOTH, AUTH_PROJECT, R (assistant_update) },
  { "DELETE", "/assistants/*",                    BOTH, AUTH_PROJECT, R (assistant_delete) },
  { "GET",    "/assistants/*/files",              LIVE, AUTH_PROJECT, R (assistant_files_list) },
  { "POST",   "/assistants/*/files",              LIVE, AUTH_PROJECT, R (assistant_files_upload) },
  { "DELETE", "/assistants/*/files/*",            LIVE, AUTH_PROJECT, R (assistant_file_delete) },

  { "GET",    "/threads",                         BOTH, AUTH_PROJECT, R (threads_list) },
  { "POST",   "/threads",                         BOTH, AUTH_PROJECT, R (threads_create) },
  { "GET",    "/threads/*",                       BOTH, AUTH_PROJECT, R (thread_get) },
  { "PUT",    "/threads/*",                       BOTH, AUTH_PROJECT, R (thread_update) },
  { "DELETE", "/threads/*",                       BOTH, AUTH_PROJECT, R (thread_delete) },
  { "POST",   "/threads/*/run",                   REF,  AUTH_PROJECT, R (run_reference) },
  { "POST",   "/threads/*/runs/*/cancel",         REF,  AUTH_PROJECT, R (run_cancel_reference) },
  { "GET",    "/threads/*/messages",              REF,  AUTH_PROJECT, R (messages_list) },
  { "POST",   "/threads/*/messages",              REF,  AUTH_PROJECT, R (messages_create) },
  { "GET",    "/threads/*/state",                 LIVE, AUTH_PROJECT, R (state_get) },
  { "POST",   "/threads/*/state",                 LIVE, AUTH_PROJECT, R (state_update) },

  { "POST",   "/runs/stream",                     LIVE, AUTH_PROJECT, R (run_live) },
  { "POST",   "/runs/*/cancel",                   LIVE, AUTH_PROJECT, R (run_cancel_live) },

  { "GET",    "/db/*/*",                          REF,  AUTH_PROJECT, R (db_get_all) },
  { "GET",    "/db/*/*/*",                        REF,  AUTH_PROJECT, R (db_get_key) },
  { "PUT",    "/db/*/*/*",                        REF,  AUTH_PROJECT, R (db_put_key) },
  { "DELETE", "/db/*/*/*",                        REF,  AUTH_PROJECT, R (db_delete_key) },

  { "GET",    "/files",                           REF,  AUTH_PROJECT, R (files_list) },
  { "POST",   "/files",                           REF,  AUTH_PROJECT, R (files_upload) },
  { "GET",    "/files/*",                         REF,  AUTH_PROJECT, R (file_get) },
  { "DELETE", "/files/*",                         REF,  AUTH_PROJECT, R (file_delete) },

  { "GET",    "/credits/balance",                 REF,  AUTH_ANY,     R (balance) },
  { "POST",   "/credits/checkout",                REF,  AUTH_ANY,     R (checkout_reference) },

  { "POST",   "/checkout/create-checkout-session", LIVE, AUTH_ANY,     R (checkout_live) },

  { "GET",    "/tools",                           LIVE, AUTH_ANY,     R (tools_list) },

  { "GET",    "/health/tool/*",                   LIVE, AUTH_ANY,     R (tool_health) },
};

#undef R

static gboolean
match (const char      *pattern,
       EpsimoTsRequest *req,
       const char     **params)
{
  g_auto(GStrv) parts = g_strsplit (pattern + 1, "/", -1);
  guint n_params = 0;
  guint n = g_strv_length (parts);

  if (n != req->n_segments)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *segment = req->segments[i];

      if (g_str_equal (parts[i], "*"))
        {
          if (segment[0] == '\0' || n_params >= EPSIMO_TS_MAX_PARAMS)
            return FALSE;
          params[n_params++] = segment;
        }
      else if (!g_str_equal (parts[i], segment))
        return FALSE;
    }

  return TRUE;
}

static gboolean
authenticate (EpsimoTsRequest *req,
              Auth             auth)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  EpsimoTsClaims claims;
  EpsimoTsUser *user;
  gboolean ok;

  if (auth == AUTH_NONE)
    return TRUE;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    {
      epsimo_ts_http_respond_error_titled (req->msg, 401, "Unauthorized",
                                           "Missing or malformed Authorization header",
                                           NULL, "NOT_AUTHENTICATED");
      return FALSE;
    }

  ok = epsimo_ts_tokens_verify (req->srv->tokens, header + 7, &claims);
  user = ok ? epsimo_ts_store_find_user (req->srv->store, claims.sub) : NULL;
  if (user == NULL)
    {
      epsimo_ts_claims_clear (&claims);
      epsimo_ts_http_respond_error_titled (req->msg, 401, "Unauthorized",
                                           "Token has expired or is invalid",
                                           NULL, "TOKEN_EXPIRED");
      return FALSE;
    }

  req->user = user;
  if (claims.is_project)
    {
      EpsimoTsProject *project = epsimo_ts_store_find_project (req->srv->store,
                                                               claims.project_id);

      if (project == NULL || project->owner != user)
        {
          epsimo_ts_claims_clear (&claims);
          epsimo_ts_request_not_found (req, "Project");
          return FALSE;
        }
      req->project = project;
    }
  epsimo_ts_claims_clear (&claims);

  if (auth == AUTH_PROJECT && req->project == NULL)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 403, "Forbidden",
                                           "A project token is required",
                                           NULL, "PROJECT_TOKEN_REQUIRED");
      return FALSE;
    }
  if (auth == AUTH_USER && req->project != NULL)
    {
      epsimo_ts_http_respond_error_titled (req->msg, 403, "Forbidden",
                                           "A user token is required",
                                           NULL, "USER_TOKEN_REQUIRED");
      return FALSE;
    }

  return TRUE;
}

void
epsimo_ts_router_dispatch (EpsimoTsRequest *req)
{
  g_autoptr(GString) allow = g_string_new (NULL);
  gboolean known_elsewhere = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const Route *route = &routes[i];
      const char *params[EPSIMO_TS_MAX_PARAMS] = { NULL, };

      if (!match (route->pattern, req, params))
        continue;

      /* A path of the other dialect does not exist on this server. */
      if ((route->dialects & req->srv->dialect) == 0)
        {
          known_elsewhere = TRUE;
          continue;
        }

      if (!g_str_equal (route->method, req->method))
        {
          if (strstr (allow->str, route->method) == NULL)
            g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", route->method);
          continue;
        }

      memcpy (req->params, params, sizeof params);
      if (!authenticate (req, route->auth))
        return;
      route->handler (req);
      return;
    }

  if (allow->len > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%s is not allowed on %s (allowed: %s)",
                                                 req->method, req->path, allow->str);

      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Allow", allow->str);
      epsimo_ts_http_respond_error (req->msg, 405, detail, NULL, NULL);
      return;
    }

  {
    g_autofree char *detail = NULL;

    if (known_elsewhere)
      detail = g_strdup_printf ("%s is not part of the %s dialect this server speaks",
                                req->path,
                                req->srv->dialect == EPSIMO_TS_DIALECT_LIVE ? "live"
                                                                            : "reference");
    else
      detail = g_strdup_printf ("No route for %s %s", req->method, req->path);
    epsimo_ts_http_respond_error_titled (req->msg, 404, "Not Found", detail, NULL, NULL);
  }
}
