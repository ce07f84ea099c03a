/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-control.h"
#include "epsimo-ts-render.h"
#include "epsimo-ts-runs.h"
#include "epsimo-ts-seed.h"

#define MAX_SEED 1000000

static void
respond_ok (EpsimoTsRequest *req,
            JsonObject      *extra)
{
  JsonObject *obj = extra ? extra : json_object_new ();

  json_object_set_boolean_member (obj, "ok", TRUE);
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

static EpsimoTsUser *
user_from_body (EpsimoTsRequest *req,
                JsonObject      *body)
{
  const char *email;
  EpsimoTsUser *user;

  if (!epsimo_ts_request_string (req, body, "email", TRUE, &email))
    return NULL;

  user = epsimo_ts_store_find_user_by_email (req->srv->store, email);
  if (user == NULL)
    epsimo_ts_request_not_found (req, "User");
  return user;
}

/* A positive count, or @fallback when absent; -1 after answering 422. */
static gint64
count_member (EpsimoTsRequest *req,
              JsonObject      *body,
              const char      *member,
              gboolean         required,
              gint64           fallback,
              gint64           max)
{
  gint64 value = fallback;
  gboolean present;

  if (!epsimo_ts_request_int (req, body, member, required, &value, &present))
    return -1;
  if (present && (value < 0 || value > max))
    {
      g_autofree char *detail = g_strdup_printf ("'%s' must be from 0 to %" G_GINT64_FORMAT,
                                                 member, max);

      epsimo_ts_request_error (req, 422, detail, member, NULL);
      return -1;
    }
  return value;
}

static EpsimoTsFault *
fault_from_body (EpsimoTsRequest   *req,
                 JsonObject        *body,
                 EpsimoTsFaultKind  kind,
                 gboolean           path_required,
                 gint64             default_count)
{
  const char *method;
  const char *path;
  gint64 count;

  if (!epsimo_ts_request_string (req, body, "method", FALSE, &method) ||
      !epsimo_ts_request_string (req, body, "path", path_required, &path))
    return NULL;

  count = count_member (req, body, "count", FALSE, default_count, G_MAXINT32);
  if (count < 0)
    return NULL;
  if (count == 0)
    count = -1;

  return epsimo_ts_fault_new (kind, method, path, count);
}

static void
control_fail (EpsimoTsRequest *req,
              JsonObject      *body)
{
  g_autoptr(EpsimoTsFault) fault = fault_from_body (req, body, EPSIMO_TS_FAULT_FAIL, TRUE, 1);
  const char *text;
  gint64 status;

  if (fault == NULL ||
      !epsimo_ts_request_int (req, body, "status", TRUE, &status, NULL) ||
      !epsimo_ts_request_string (req, body, "body", FALSE, &text))
    return;
  if (status < 100 || status > 599)
    {
      epsimo_ts_request_error (req, 422, "'status' must be an HTTP status", "status", NULL);
      return;
    }

  fault->status = (guint) status;
  fault->body = g_strdup (text);
  epsimo_ts_faults_add (req->srv->faults, g_steal_pointer (&fault));
  respond_ok (req, NULL);
}

static void
control_delay (EpsimoTsRequest *req,
               JsonObject      *body)
{
  g_autoptr(EpsimoTsFault) fault = fault_from_body (req, body, EPSIMO_TS_FAULT_DELAY, FALSE, 0);
  gint64 ms;

  if (fault == NULL)
    return;
  ms = count_member (req, body, "ms", TRUE, 0, 600000);
  if (ms < 0)
    return;

  fault->ms = (guint) ms;
  epsimo_ts_faults_add (req->srv->faults, g_steal_pointer (&fault));
  respond_ok (req, NULL);
}

static void
control_simple_fault (EpsimoTsRequest   *req,
                      JsonObject        *body,
                      EpsimoTsFaultKind  kind)
{
  g_autoptr(EpsimoTsFault) fault = fault_from_body (req, body, kind, TRUE, 1);

  if (fault == NULL)
    return;

  if (kind == EPSIMO_TS_FAULT_HUGE)
    {
      gint64 bytes = count_member (req, body, "bytes", TRUE, 0, G_MAXINT64 / 2);

      if (bytes < 0)
        return;
      fault->bytes = (guint64) bytes;
    }

  epsimo_ts_faults_add (req->srv->faults, g_steal_pointer (&fault));
  respond_ok (req, NULL);
}

static void
control_cut (EpsimoTsRequest *req,
             JsonObject      *body)
{
  gint64 after = count_member (req, body, "after_events", TRUE, 0, G_MAXINT32);

  if (after < 0)
    return;
  epsimo_ts_faults_arm_cut (req->srv->faults, after);
  respond_ok (req, NULL);
}

static void
control_next_reply (EpsimoTsRequest *req,
                    JsonObject      *body)
{
  gint64 bytes = count_member (req, body, "bytes", TRUE, 0, 1024 * 1024 * 1024);
  gint64 pieces;

  if (bytes < 0)
    return;
  pieces = count_member (req, body, "pieces", FALSE, 1, 100000000);
  if (pieces < 0)
    return;
  if (bytes == 0 || pieces == 0)
    {
      epsimo_ts_request_error (req, 422, "'bytes' and 'pieces' must be at least 1", "bytes", NULL);
      return;
    }

  epsimo_ts_faults_arm_next_reply (req->srv->faults, (guint64) bytes, (guint64) pieces);
  respond_ok (req, NULL);
}

static void
control_reset (EpsimoTsRequest *req)
{
  JsonObject *obj = json_object_new ();

  json_object_set_int_member (obj, "released",
                              epsimo_ts_faults_release_stalled (req->srv->faults));
  epsimo_ts_faults_reset (req->srv->faults);
  respond_ok (req, obj);
}

static void
control_rate_limit (EpsimoTsRequest *req,
                    JsonObject      *body)
{
  gint64 limit = count_member (req, body, "limit", TRUE, 0, G_MAXINT32);

  if (limit < 0)
    return;
  epsimo_ts_ratelimit_set_limit (req->srv->ratelimit, (guint) limit);
  respond_ok (req, NULL);
}

static void
control_quota (EpsimoTsRequest *req,
               JsonObject      *body)
{
  EpsimoTsUser *user = user_from_body (req, body);
  const char *tier;
  gint64 counter;
  gint64 max;

  if (user == NULL)
    return;

  counter = count_member (req, body, "thread_counter", FALSE, user->thread_counter, G_MAXINT32);
  if (counter < 0)
    return;
  max = count_member (req, body, "thread_max", FALSE, user->thread_max, G_MAXINT32);
  if (max < 0 || !epsimo_ts_request_string (req, body, "subscription_tier", FALSE, &tier))
    return;

  user->thread_counter = counter;
  user->thread_max = max;
  if (tier != NULL)
    {
      g_free (user->tier);
      user->tier = g_strdup (tier);
    }
  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_user_info (user));
}

static void
control_verify (EpsimoTsRequest *req,
                JsonObject      *body)
{
  EpsimoTsUser *user = user_from_body (req, body);

  if (user == NULL)
    return;
  user->verified = TRUE;
  respond_ok (req, NULL);
}

static JsonArray *
ids_of (GPtrArray *objects,
        gsize      id_offset)
{
  JsonArray *array = json_array_sized_new (objects->len);

  /* Every stored struct begins with its id. */
  for (guint i = 0; i < objects->len; i++)
    json_array_add_string_element (array,
                                   G_STRUCT_MEMBER (char *, g_ptr_array_index (objects, i),
                                                    id_offset));
  return array;
}

static void
control_seed_projects (EpsimoTsRequest *req,
                       JsonObject      *body)
{
  EpsimoTsUser *user = user_from_body (req, body);
  g_autoptr(GPtrArray) created = NULL;
  JsonObject *obj;
  gint64 count;

  if (user == NULL)
    return;
  count = count_member (req, body, "count", TRUE, 0, MAX_SEED);
  if (count < 0)
    return;

  created = epsimo_ts_seed_projects (req->srv->store, user, (guint) count);
  obj = json_object_new ();
  json_object_set_array_member (obj, "project_ids",
                                ids_of (created, G_STRUCT_OFFSET (EpsimoTsProject, project_id)));
  respond_ok (req, obj);
}

static void
control_seed_threads (EpsimoTsRequest *req,
                      JsonObject      *body)
{
  g_autoptr(GPtrArray) created = NULL;
  EpsimoTsProject *project;
  const char *project_id;
  const char *assistant_id;
  JsonObject *obj;
  gint64 count;

  if (!epsimo_ts_request_string (req, body, "project_id", TRUE, &project_id) ||
      !epsimo_ts_request_string (req, body, "assistant_id", FALSE, &assistant_id))
    return;
  count = count_member (req, body, "count", TRUE, 0, MAX_SEED);
  if (count < 0)
    return;

  project = epsimo_ts_store_find_project (req->srv->store, project_id);
  if (project == NULL)
    {
      epsimo_ts_request_not_found (req, "Project");
      return;
    }
  if (assistant_id == NULL)
    assistant_id = epsimo_ts_seed_default_assistant (req->srv->store, project)->assistant_id;

  created = epsimo_ts_seed_threads (req->srv->store, project, assistant_id, (guint) count);
  obj = json_object_new ();
  json_object_set_string_member (obj, "assistant_id", assistant_id);
  json_object_set_array_member (obj, "thread_ids",
                                ids_of (created, G_STRUCT_OFFSET (EpsimoTsThread, thread_id)));
  respond_ok (req, obj);
}

static void
control_seed_messages (EpsimoTsRequest *req,
                       JsonObject      *body)
{
  EpsimoTsThread *thread;
  const char *thread_id;
  JsonObject *obj;
  gint64 count;

  if (!epsimo_ts_request_string (req, body, "thread_id", TRUE, &thread_id))
    return;
  count = count_member (req, body, "count", TRUE, 0, MAX_SEED);
  if (count < 0)
    return;

  thread = epsimo_ts_store_find_thread (req->srv->store, thread_id);
  if (thread == NULL)
    {
      epsimo_ts_request_not_found (req, "Thread");
      return;
    }

  epsimo_ts_seed_messages (thread, (guint) count);
  obj = json_object_new ();
  json_object_set_int_member (obj, "message_count", thread->messages->len);
  respond_ok (req, obj);
}

static void
control_complete_checkout (EpsimoTsRequest *req,
                           JsonObject      *body)
{
  EpsimoTsCheckout *checkout;
  const char *session_id;

  if (!epsimo_ts_request_string (req, body, "session_id", TRUE, &session_id))
    return;

  checkout = epsimo_ts_store_find_checkout (req->srv->store, session_id);
  if (checkout == NULL)
    {
      epsimo_ts_request_not_found (req, "Checkout session");
      return;
    }
  if (checkout->completed)
    {
      epsimo_ts_request_error (req, 409, "This checkout session is already completed",
                               "session_id", NULL);
      return;
    }

  checkout->completed = TRUE;
  checkout->user->thread_max += checkout->quantity;
  epsimo_ts_http_respond_object (req->msg, 200, epsimo_ts_render_user_info (checkout->user));
}

static void
control_state (EpsimoTsRequest *req)
{
  GPtrArray *users = epsimo_ts_store_get_users (req->srv->store);
  GPtrArray *checkouts = epsimo_ts_store_get_checkouts (req->srv->store);
  JsonArray *users_json = json_array_new ();
  JsonArray *projects_json = json_array_new ();
  JsonArray *checkouts_json = json_array_new ();
  JsonObject *obj = json_object_new ();

  for (guint i = 0; i < users->len; i++)
    {
      EpsimoTsUser *user = g_ptr_array_index (users, i);
      JsonObject *info = epsimo_ts_render_user_info (user);

      json_object_set_boolean_member (info, "verified", user->verified);
      json_object_set_int_member (info, "project_count", user->projects->len);
      json_array_add_object_element (users_json, info);

      for (guint j = 0; j < user->projects->len; j++)
        {
          EpsimoTsProject *project = g_ptr_array_index (user->projects, j);
          JsonObject *p = epsimo_ts_render_project (project);
          JsonArray *files = json_array_new ();

          json_object_set_string_member (p, "owner", user->email);
          json_object_set_int_member (p, "assistant_count", project->assistants->len);
          json_object_set_int_member (p, "thread_count", project->threads->len);
          for (guint k = 0; k < project->files->len; k++)
            {
              EpsimoTsFile *file = g_ptr_array_index (project->files, k);

              json_array_add_object_element (files, epsimo_ts_render_file (file));
            }
          json_object_set_array_member (p, "files", files);
          json_array_add_object_element (projects_json, p);
        }
    }

  for (guint i = 0; i < checkouts->len; i++)
    {
      EpsimoTsCheckout *checkout = g_ptr_array_index (checkouts, i);
      JsonObject *c = json_object_new ();
      g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d",
                                                 checkout->amount_cents / 100,
                                                 (int) (checkout->amount_cents % 100));

      json_object_set_string_member (c, "session_id", checkout->session_id);
      json_object_set_string_member (c, "email", checkout->user->email);
      json_object_set_int_member (c, "quantity", checkout->quantity);
      json_object_set_double_member (c, "amount", checkout->amount_cents / 100.0);
      json_object_set_string_member (c, "amount_text", amount);
      json_object_set_boolean_member (c, "completed", checkout->completed);
      json_array_add_object_element (checkouts_json, c);
    }

  json_object_set_array_member (obj, "users", users_json);
  json_object_set_array_member (obj, "projects", projects_json);
  json_object_set_array_member (obj, "checkouts", checkouts_json);
  json_object_set_array_member (obj, "faults", epsimo_ts_faults_to_json (req->srv->faults));
  json_object_set_int_member (obj, "active_runs", epsimo_ts_runs_count_active (req->srv->runs));
  json_object_set_array_member (obj, "runs", epsimo_ts_runs_to_json (req->srv->runs));
  json_object_set_int_member (obj, "rate_limit",
                              epsimo_ts_ratelimit_get_limit (req->srv->ratelimit));
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

static void
control_requests (EpsimoTsRequest *req)
{
  JsonObject *obj = json_object_new ();

  json_object_set_array_member (obj, "requests", epsimo_ts_reqlog_to_json (req->srv->log));
  epsimo_ts_http_respond_object (req->msg, 200, obj);
}

typedef struct
{
  const char *method;
  const char *name;
  void (*with_body) (EpsimoTsRequest *req, JsonObject *body);
  void (*without_body) (EpsimoTsRequest *req);
} ControlRoute;

static void
control_expire_tokens (EpsimoTsRequest *req)
{
  epsimo_ts_tokens_revoke_all (req->srv->tokens);
  respond_ok (req, NULL);
}

static void
control_clear_requests (EpsimoTsRequest *req)
{
  epsimo_ts_reqlog_clear (req->srv->log);
  respond_ok (req, NULL);
}

static void
control_malformed (EpsimoTsRequest *req,
                   JsonObject      *body)
{
  control_simple_fault (req, body, EPSIMO_TS_FAULT_MALFORMED);
}

static void
control_stall (EpsimoTsRequest *req,
               JsonObject      *body)
{
  control_simple_fault (req, body, EPSIMO_TS_FAULT_STALL);
}

static void
control_huge (EpsimoTsRequest *req,
              JsonObject      *body)
{
  control_simple_fault (req, body, EPSIMO_TS_FAULT_HUGE);
}

static const ControlRoute control_routes[] = {
  { "POST",   "fail",              control_fail, NULL },
  { "POST",   "delay",             control_delay, NULL },
  { "POST",   "cut",               control_cut, NULL },
  { "POST",   "malformed",         control_malformed, NULL },
  { "POST",   "stall",             control_stall, NULL },
  { "POST",   "huge",              control_huge, NULL },
  { "POST",   "next-reply",        control_next_reply, NULL },
  { "POST",   "reset",             NULL, control_reset },
  { "POST",   "expire-tokens",     NULL, control_expire_tokens },
  { "POST",   "rate-limit",        control_rate_limit, NULL },
  { "POST",   "quota",             control_quota, NULL },
  { "POST",   "verify",            control_verify, NULL },
  { "POST",   "seed-projects",     control_seed_projects, NULL },
  { "POST",   "seed-threads",      control_seed_threads, NULL },
  { "POST",   "seed-messages",     control_seed_messages, NULL },
  { "POST",   "complete-checkout", control_complete_checkout, NULL },
  { "GET",    "requests",          NULL, control_requests },
  { "DELETE", "requests",          NULL, control_clear_requests },
  { "GET",    "state",             NULL, control_state },
};

void
epsimo_ts_control_dispatch (EpsimoTsRequest *req)
{
  gboolean path_known = FALSE;
  const char *name;

  if (req->n_segments != 2)
    {
      epsimo_ts_request_not_found (req, "Control endpoint");
      return;
    }
  name = req->segments[1];

  for (guint i = 0; i < G_N_ELEMENTS (control_routes); i++)
    {
      const ControlRoute *route = &control_routes[i];
      JsonObject *body;

      if (!g_str_equal (route->name, name))
        continue;
      path_known = TRUE;
      if (!g_str_equal (route->method, req->method))
        continue;

      if (route->without_body != NULL)
        {
          route->without_body (req);
          return;
        }

      body = epsimo_ts_request_body (req);
      if (body != NULL)
        route->with_body (req, body);
      return;
    }

  if (path_known)
    epsimo_ts_request_error (req, 405, "Wrong method for this control endpoint", NULL, NULL);
  else
    epsimo_ts_request_not_found (req, "Control endpoint");
}
