/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "epsimo-api-error.h"
#include "epsimo-backoff.h"
#include "epsimo-client-private.h"
#include "epsimo-json.h"
#include "epsimo-jwt.h"
#include "epsimo-proxy-resolver.h"

/* Renew a token this long before the server would refuse it, so that a call
 * started just before the expiry does not fail on the way. */
#define TOKEN_MARGIN_S 60
#define BODY_CHUNK (64 * 1024)
/* An error answer is only read for its `detail`: nothing larger is useful. */
#define ERROR_BODY_LIMIT (64 * 1024)
/* A `detail` longer than this is not a sentence for a person. */
#define DETAIL_MAX_CHARS 500
#define MAX_REDIRECTS 5

#define DEFAULT_MAX_RESPONSE_SIZE (16 * 1024 * 1024)
#define DEFAULT_RETRY_BASE_DELAY 0.5
#define DEFAULT_RETRY_MAX_DELAY 30.0
#define DEFAULT_MAX_RETRY_TIME 60.0
#define DEFAULT_MAX_TRIES 5
/* libsoup 3.2 applies SoupSession:timeout as the GSocket timeout of every
 * connection (g_socket_set_timeout () in soup_connection_connected ()), and
 * as the connect timeout. A GSocket timeout limits each single read or write,
 * not the whole exchange: a streamed body goes on for as long as bytes keep
 * arriving, and is cut with G_IO_ERROR_TIMED_OUT only when the server stays
 * silent for this long. A run that thinks (a slow tool call) without sending
 * anything, not even an SSE keep-alive comment, must therefore fit in it:
 * 60 s rather than a snappier 30 s for that reason. */
#define DEFAULT_TIMEOUT_S 60
/* Servers close idle keep-alive connections after a few seconds; keeping ours
 * longer than that only risks reusing a connection that is already gone. */
#define IDLE_TIMEOUT_S 30
/* libsoup's default is 2 per host: one long SSE stream and one upload would
 * then hold every other call of the window back. */
#define MAX_CONNS_PER_HOST 6

struct _EpsimoClient
{
  GObject                    parent_instance;

  char                      *base_url;
  char                      *host;
  SoupSession               *session;
  /* Cancels work shared by several calls (renewals, project tokens). */
  GCancellable              *cancellable;

  EpsimoDialect              dialect;

  gint                       rate_limit_limit;
  gint                       rate_limit_remaining;
  gint64                     rate_limit_reset;

  guint64                    max_response_size;
  double                     retry_base_delay;
  double                     retry_max_delay;
  double                     max_retry_time;
  guint                      max_tries;
  guint                      timeout;

  char                      *user_token;
  gint64                     user_token_expiry;
  GHashTable                *project_tokens;   /* id -> ProjectToken */
  /* Bumped when the user changes or signs out: work started before that
   * must not bring an old token back. */
  guint                      token_generation;

  EpsimoCredentialsProvider  provider;
  gpointer                   provider_data;
  GDestroyNotify             provider_destroy;

  struct _WaitQueue         *renewal;          /* set while renewing */
  GHashTable                *project_fetches;  /* id -> WaitQueue */
};

G_DEFINE_FINAL_TYPE (EpsimoClient, epsimo_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_DIALECT,
  PROP_RATE_LIMIT_LIMIT,
  PROP_RATE_LIMIT_REMAINING,
  PROP_RATE_LIMIT_RESET,
  PROP_SIGNED_IN,
  PROP_MAX_RESPONSE_SIZE,
  PROP_RETRY_BASE_DELAY,
  PROP_RETRY_MAX_DELAY,
  PROP_MAX_RETRY_TIME,
  PROP_MAX_TRIES,
  PROP_TIMEOUT,
  N_PROPS
};

enum {
  TOKEN_RENEWED,
  SESSION_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What each base URL was found to speak, for every client of the process. */
static GMutex dialect_lock;
static GHashTable *dialect_cache;

/* Secrets ------------------------------------------------------------------ */

static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

typedef struct
{
  char   *token;
  gint64  expiry;
} ProjectToken;

static void
project_token_free (gpointer data)
{
  ProjectToken *pt = data;

  secret_free (pt->token);
  g_free (pt);
}

typedef struct
{
  char *email;
  char *password;
} Credentials;

static void
credentials_free (gpointer data)
{
  Credentials *creds = data;

  g_free (creds->email);
  secret_free (creds->password);
  g_free (creds);
}

void
epsimo_credentials_task_return (GTask      *task,
                                const char *email,
                                const char *password)
{
  Credentials *creds;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  creds = g_new0 (Credentials, 1);
  creds->email = g_strdup (email);
  creds->password = g_strdup (password);
  g_task_return_pointer (task, creds, credentials_free);
}

static gboolean
token_is_fresh (gint64 expiry)
{
  /* 0: not a JWT, or no `exp`: only a 401 tells. */
  return expiry == 0 || expiry - g_get_real_time () / G_USEC_PER_SEC > TOKEN_MARGIN_S;
}

static gboolean
token_has_expired (gint64 expiry)
{
  return expiry != 0 && expiry <= g_get_real_time () / G_USEC_PER_SEC;
}

/* The token of a login or project answer: the API names it three ways. */
static char *
dup_token_member (JsonObject *object)
{
  static const char * const names[] = { "access_token", "token", "jwt_token" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING
          && json_node_get_string (node)[0] != '\0')
        return g_strdup (json_node_get_string (node));
    }

  return NULL;
}

/* Errors ------------------------------------------------------------------- */

static GError *
new_error (EpsimoApiError  code,
           guint           status,
           const char     *message)
{
  GError *error = g_error_new_literal (EPSIMO_API_ERROR, code, message);

  epsimo_api_error_set_details (error, status, NULL, NULL);
  return error;
}

static GError *
not_signed_in_error (void)
{
  return new_error (EPSIMO_API_ERROR_UNAUTHORIZED, 0, _("You are not signed in."));
}

static EpsimoApiError
code_for_status (guint status)
{
  switch (status)
    {
    case 400: case 413: case 415: case 422:
      return EPSIMO_API_ERROR_VALIDATION;
    case 401:
      return EPSIMO_API_ERROR_UNAUTHORIZED;
    case 402: case 403:
      return EPSIMO_API_ERROR_FORBIDDEN;
    case 404: case 405: case 410:
      return EPSIMO_API_ERROR_NOT_FOUND;
    case 408:
      return EPSIMO_API_ERROR_NETWORK;
    case 409:
      return EPSIMO_API_ERROR_CONFLICT;
    case 429:
      return EPSIMO_API_ERROR_RATE_LIMITED;
    default:
      return status >= 500 && status <= 599 ? EPSIMO_API_ERROR_SERVER : EPSIMO_API_ERROR_PROTOCOL;
    }
}

static char *
message_for_status (guint status)
{
  switch (status)
    {
    case 400: case 422:
      return g_strdup (_("The server did not accept the request."));
    case 401:
      return g_strdup (_("Your session has expired or your e-mail or password is wrong. "
                         "Please sign in again."));
    case 402:
      return g_strdup (_("Your account has no credit left for this."));
    case 403:
      return g_strdup (_("You are not allowed to do this."));
    case 404: case 410:
      return g_strdup (_("This item was not found on the server. It may have been deleted."));
    case 405:
      return g_strdup (_("The server does not support this request."));
    case 408:
      return g_strdup (_("The server took too long to receive the request."));
    case 409:
      return g_strdup (_("This conflicts with something that already exists on the server."));
    case 413:
      return g_strdup (_("This is too large for the server."));
    case 415:
      return g_strdup (_("The server does not accept this kind of file."));
    case 429:
      return g_strdup (_("The server is receiving too many requests. "
                         "Please wait a moment and try again."));
    default:
      if (status >= 500 && status <= 599)
        return g_strdup_printf (_("The server has a problem (error %u). "
                                  "Please try again later."), status);
      return g_strdup_printf (_("The server gave an unexpected answer (error %u)."), status);
    }
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* FastAPI's 422: {"detail": [{"loc": ["body", "name"], "msg": "..."}]} */
static void
read_validation_list (JsonArray   *list,
                      const char **detail,
                      const char **field)
{
  JsonNode *first;
  JsonObject *item;
  JsonNode *loc;

  if (json_array_get_length (list) == 0)
    return;
  first = json_array_get_element (list, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return;
  item = json_node_get_object (first);

  *detail = get_string_member (item, "msg");

  loc = json_object_get_member (item, "loc");
  if (loc != NULL && JSON_NODE_HOLDS_ARRAY (loc))
    {
      JsonArray *parts = json_node_get_array (loc);
      guint n = json_array_get_length (parts);

      /* The innermost name is the field; "body" or an index is not. */
      for (guint i = n; i > 0; i--)
        {
          JsonNode *part = json_array_get_element (parts, i - 1);

          if (JSON_NODE_HOLDS_VALUE (part)
              && json_node_get_value_type (part) == G_TYPE_STRING
              && !g_str_equal (json_node_get_string (part), "body"))
            {
              *field = json_node_get_string (part);
              break;
            }
        }
    }
}

static char *
tidy_detail (const char *text)
{
  g_autofree char *valid = NULL;
  char *stripped;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  stripped = g_strstrip (valid);
  if (*stripped == '\0')
    return NULL;
  if (g_utf8_strlen (stripped, -1) > DETAIL_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (stripped, 0, DETAIL_MAX_CHARS);
      return g_strconcat (cut, "…", NULL);
    }
  return g_strdup (stripped);
}

GError *
epsimo_client_error_from_response (guint   status,
                                   GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *detail = NULL;
  g_autofree char *error_text = NULL;
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;
  const char *data = NULL;
  gsize size = 0;
  GError *error;

  if (body != NULL)
    data = g_bytes_get_data (body, &size);

  if (data != NULL && size > 0 && size <= ERROR_BODY_LIMIT
      && epsimo_json_parser_load (parser, data, (gssize) size, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);
          JsonNode *detail_node = json_object_get_member (object, "detail");
          const char *detail_str = NULL;
          const char *field_str = get_string_member (object, "field");
          const char *loc_field = NULL;

          if (detail_node != NULL && JSON_NODE_HOLDS_ARRAY (detail_node))
            {
              read_validation_list (json_node_get_array (detail_node), &detail_str, &loc_field);
              if (field_str == NULL)
                field_str = loc_field;
            }
          else if (detail_node != NULL && JSON_NODE_HOLDS_OBJECT (detail_node))
            detail_str = get_string_member (json_node_get_object (detail_node), "message");
          else
            detail_str = get_string_member (object, "detail");

          detail = tidy_detail (detail_str);
          error_text = tidy_detail (get_string_member (object, "error"));
          if (error_text == NULL)
            error_text = tidy_detail (get_string_member (object, "message"));
          field = tidy_detail (field_str);
        }
    }

  if (detail != NULL)
    message = g_strdup (detail);
  else if (error_text != NULL)
    message = g_strdup (error_text);
  else
    message = message_for_status (status);

  error = g_error_new_literal (EPSIMO_API_ERROR, code_for_status (status), message);
  epsimo_api_error_set_details (error, status, detail, field);
  return error;
}

GError *
epsimo_client_error_from_transport (const GError *error,
                                    const char   *host)
{
  g_autofree char *message = NULL;
  EpsimoApiError code = EPSIMO_API_ERROR_NETWORK;

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (host == NULL)
    host = "";

  if (error->domain == G_TLS_ERROR)
    {
      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE)
        message = g_strdup_printf (_("The security certificate of %s is not trusted, "
                                     "so no connection was made."), host);
      else
        message = g_strdup_printf (_("A secure connection to %s could not be made."), host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    message = g_strdup_printf (_("Could not find the server %s. "
                                 "Check the address and your internet connection."), host);
  else if (error->domain == SOUP_SESSION_ERROR)
    {
      code = EPSIMO_API_ERROR_PROTOCOL;
      message = g_strdup_printf (_("The answer from %s could not be understood."), host);
    }
  else if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
          message = g_strdup_printf (_("Could not connect to %s: "
                                       "the server refused the connection."), host);
          break;
        case G_IO_ERROR_TIMED_OUT:
          message = g_strdup_printf (_("%s did not answer in time."), host);
          break;
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
          message = g_strdup_printf (_("Could not connect to %s. "
                                       "Check your internet connection."), host);
          break;
        case G_IO_ERROR_CONNECTION_CLOSED:   /* also BROKEN_PIPE, the same code */
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_NOT_CONNECTED:
          message = g_strdup_printf (_("The connection to %s was interrupted."), host);
          break;
        default:
          break;
        }
    }

  if (message == NULL)
    message = g_strdup_printf (_("Could not connect to %s."), host);

  return new_error (code, 0, message);
}

static gboolean
is_failure_before_sending (const GError *error)
{
  return error->domain == G_RESOLVER_ERROR
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
}

gboolean
epsimo_client_transport_error_is_retryable (const GError *error,
                                            gboolean      idempotent)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (is_failure_before_sending (error))
    return TRUE;

  /* A timeout is not retried: the user has already waited that long. */
  return idempotent
         && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
             || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED));
}

/* Base URL ----------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
set_url_error (GError     **error,
               const char  *message)
{
  if (error != NULL)
    {
      *error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_INVALID_URL, message);
      epsimo_api_error_set_details (*error, 0, NULL, NULL);
    }
  return FALSE;
}

char *
epsimo_client_normalize_base_url (const char  *url,
                                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  gsize path_len;

  text = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (*text == '\0')
    {
      set_url_error (error, _("Enter the address of the server"));
      return NULL;
    }
  if (strstr (text, "://") == NULL)
    {
      set_url_error (error, _("The address must start with https://"));
      return NULL;
    }

  /* GUri keeps these in an encoded URI as they are; no server would. */
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("<>\"{}|\\^`", *p) != NULL)
      {
        set_url_error (error, _("This is not a valid web address"));
        return NULL;
      }

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      set_url_error (error, _("This is not a valid web address"));
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "https") && !g_str_equal (scheme, "http"))
    {
      set_url_error (error, _("Only https addresses can be used"));
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      set_url_error (error, _("The address has no host name"));
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      set_url_error (error, _("The address must not contain a user name or password"));
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL)
    {
      set_url_error (error, _("The address must not contain a query (a part after “?”)"));
      return NULL;
    }
  if (g_uri_get_fragment (uri) != NULL)
    {
      set_url_error (error, _("The address must not contain a fragment (a part after “#”)"));
      return NULL;
    }

  /* International names become their ASCII (punycode) form. */
  {
    g_autofree char *ascii = g_hostname_to_ascii (g_uri_get_host (uri));

    if (ascii == NULL)
      {
        set_url_error (error, _("This is not a valid web address"));
        return NULL;
      }
    host = g_ascii_strdown (ascii, -1);
  }
  if (g_str_equal (scheme, "http") && !host_is_loopback (host))
    {
      set_url_error (error, _("Plain http is only allowed for this computer (localhost); "
                              "use https"));
      return NULL;
    }

  /* Paths are appended as "/projects/": the base must not end in "/". */
  path = g_strdup (g_uri_get_path (uri));
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path[--path_len] = '\0';

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, g_uri_get_port (uri), path,
                     NULL, NULL);
}

gboolean
epsimo_client_validate_base_url (const char  *url,
                                 GError     **error)
{
  g_autofree char *normalized = epsimo_client_normalize_base_url (url, error);

  return normalized != NULL;
}

/* Dialects ----------------------------------------------------------------- */

static EpsimoDialect
dialect_cache_lookup (const char *base_url)
{
  EpsimoDialect dialect = EPSIMO_DIALECT_UNKNOWN;

  g_mutex_lock (&dialect_lock);
  if (dialect_cache != NULL)
    dialect = GPOINTER_TO_INT (g_hash_table_lookup (dialect_cache, base_url));
  g_mutex_unlock (&dialect_lock);

  return dialect;
}

static void
dialect_cache_store (const char    *base_url,
                     EpsimoDialect  dialect)
{
  g_mutex_lock (&dialect_lock);
  if (dialect_cache == NULL)
    dialect_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    g_hash_table_remove (dialect_cache, base_url);
  else
    g_hash_table_replace (dialect_cache, g_strdup (base_url), GINT_TO_POINTER (dialect));
  g_mutex_unlock (&dialect_lock);
}

void
epsimo_client_forget_learned_dialects (void)
{
  g_mutex_lock (&dialect_lock);
  g_clear_pointer (&dialect_cache, g_hash_table_unref);
  g_mutex_unlock (&dialect_lock);
}

static void
set_dialect_internal (EpsimoClient  *self,
                      EpsimoDialect  dialect)
{
  if (self->dialect == dialect)
    return;
  self->dialect = dialect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
}

static EpsimoDialect
current_dialect (EpsimoClient *self)
{
  /* Another client of the same server may have found out meanwhile. */
  if (self->dialect == EPSIMO_DIALECT_UNKNOWN)
    set_dialect_internal (self, dialect_cache_lookup (self->base_url));
  return self->dialect;
}

static void
learn_dialect (EpsimoClient  *self,
               EpsimoDialect  dialect)
{
  if (self->dialect != EPSIMO_DIALECT_UNKNOWN)
    return;
  g_debug ("%s speaks the %s dialect", self->base_url,
           dialect == EPSIMO_DIALECT_LIVE ? "live" : "reference");
  dialect_cache_store (self->base_url, dialect);
  set_dialect_internal (self, dialect);
}

/* Wait queues: several calls waiting for one shared piece of work ---------- */

typedef struct _WaitQueue WaitQueue;

typedef struct
{
  GTask     *task;
  GSource   *cancel_source;
  WaitQueue *queue;
} Waiter;

struct _WaitQueue
{
  GPtrArray *waiters;
};

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static WaitQueue *
wait_queue_new (void)
{
  WaitQueue *queue = g_new0 (WaitQueue, 1);

  queue->waiters = g_ptr_array_new ();
  return queue;
}

static void
wait_queue_free (gpointer data)
{
  WaitQueue *queue = data;

  /* Only reached with waiters left when the client is finalized, which the
   * waiters' own references prevent. */
  for (guint i = 0; i < queue->waiters->len; i++)
    waiter_free (g_ptr_array_index (queue->waiters, i));
  g_ptr_array_unref (queue->waiters);
  g_free (queue);
}

/* The waiter leaves at once when its own call is cancelled, even though the
 * shared work goes on for the others. A GCancellableSource (not a
 * ::cancelled handler) so that this runs in the waiter's main context. */
static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

  g_ptr_array_remove (waiter->queue->waiters, waiter);
  waiter_free (waiter);
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

static void
wait_queue_add (WaitQueue *queue,
                GTask     *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->task = task;
  waiter->queue = queue;
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (on_waiter_cancelled),
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_main_context_get_thread_default ());
    }
  g_ptr_array_add (queue->waiters, waiter);
}

/* Completes every waiter; the queue must already be detached from the
 * client, so that a waiter's callback starting new work gets a new queue. */
static void
wait_queue_complete (WaitQueue    *queue,
                     const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&queue->waiters);

  queue->waiters = g_ptr_array_new ();
  wait_queue_free (queue);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      if (waiter->cancel_source != NULL)
        {
          g_source_destroy (waiter->cancel_source);
          g_clear_pointer (&waiter->cancel_source, g_source_unref);
        }
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);
      g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      waiter_free (waiter);
    }
}

/* Cancellable sleep -------------------------------------------------------- */

typedef struct
{
  GSource *timeout;
  GSource *cancelled;
} SleepData;

static void
sleep_data_free (gpointer data)
{
  SleepData *sd = data;

  if (sd->timeout != NULL)
    {
      g_source_destroy (sd->timeout);
      g_source_unref (sd->timeout);
    }
  if (sd->cancelled != NULL)
    {
      g_source_destroy (sd->cancelled);
      g_source_unref (sd->cancelled);
    }
  g_free (sd);
}

static gboolean
on_sleep_done (gpointer user_data)
{
  GTask *task = user_data;   /* the reference sleep_async () made */

  /* Dropping the task data destroys both sources, so this runs once. */
  g_task_set_task_data (task, NULL, NULL);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_sleep_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  return on_sleep_done (user_data);
}

static void
sleep_async (gint64               delay_us,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SleepData *sd = g_new0 (SleepData, 1);
  GMainContext *context = g_main_context_get_thread_default ();

  g_task_set_source_tag (task, sleep_async);
  g_task_set_task_data (task, sd, sleep_data_free);

  /* The task reference is held by whichever source fires first. */
  sd->timeout = g_timeout_source_new ((guint) MIN (delay_us / 1000, G_MAXUINT));
  g_source_set_callback (sd->timeout, on_sleep_done, task, NULL);
  g_source_attach (sd->timeout, context);

  if (cancellable != NULL)
    {
      sd->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (sd->cancelled, G_SOURCE_FUNC (on_sleep_cancelled), task, NULL);
      g_source_attach (sd->cancelled, context);
    }
}

static gboolean
sleep_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Tokens ------------------------------------------------------------------- */

static void
set_user_token_internal (EpsimoClient *self,
                         const char   *token)
{
  gboolean was_signed_in = self->user_token != NULL;

  g_clear_pointer (&self->user_token, secret_free);
  self->user_token = g_strdup (token);
  self->user_token_expiry = epsimo_jwt_get_expiry (token);

  if (was_signed_in != (self->user_token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

void
epsimo_client_set_user_token (EpsimoClient *self,
                              const char   *token)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));

  if (token != NULL && *token == '\0')
    token = NULL;

  /* Another user, or none: nothing fetched for the old one may come back. */
  self->token_generation++;
  g_hash_table_remove_all (self->project_tokens);
  set_user_token_internal (self, token);
}

char *
epsimo_client_dup_user_token (EpsimoClient *self)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), NULL);

  return g_strdup (self->user_token);
}

void
epsimo_client_set_project_token (EpsimoClient *self,
                                 const char   *project_id,
                                 const char   *token)
{
  ProjectToken *pt;

  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (project_id != NULL);

  if (token == NULL || *token == '\0')
    {
      g_hash_table_remove (self->project_tokens, project_id);
      return;
    }

  pt = g_new0 (ProjectToken, 1);
  pt->token = g_strdup (token);
  pt->expiry = epsimo_jwt_get_expiry (token);
  g_hash_table_replace (self->project_tokens, g_strdup (project_id), pt);
}

char *
epsimo_client_dup_project_token (EpsimoClient *self,
                                 const char   *project_id)
{
  ProjectToken *pt;

  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  pt = g_hash_table_lookup (self->project_tokens, project_id);
  return pt != NULL ? g_strdup (pt->token) : NULL;
}

void
epsimo_client_forget_tokens (EpsimoClient *self)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));

  epsimo_client_set_user_token (self, NULL);
}

gboolean
epsimo_client_get_signed_in (EpsimoClient *self)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), FALSE);

  return self->user_token != NULL;
}

void
epsimo_client_set_credentials_provider (EpsimoClient              *self,
                                        EpsimoCredentialsProvider  func,
                                        gpointer                   user_data,
                                        GDestroyNotify             destroy)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));

  if (self->provider_destroy != NULL)
    self->provider_destroy (self->provider_data);

  self->provider = func;
  self->provider_data = user_data;
  self->provider_destroy = destroy;
}

/* The machinery shared by calls, streams and uploads ----------------------- */

typedef enum
{
  MODE_CALL,
  MODE_STREAM,
  MODE_UPLOAD,
  MODE_BODY,      /* a call whose JSON answer is handed back unread, as a stream */
} CallMode;

typedef struct
{
  EpsimoRequest      *request;
  CallMode            mode;

  EpsimoDialect       dialect;        /* the form being sent */
  gboolean            probing;        /* the live form on a server not known yet */
  guint               failures;       /* retryable failures so far */
  gint64              started_us;     /* monotonic time of the first send */
  gboolean            user_renewed;   /* a 401 was answered with a renewal */
  gboolean            project_renewed;
  char               *sent_token;     /* the token of the last send */

  guint               redirects;
  GUri               *redirect_uri;   /* where the next send goes, once */

  SoupMessage        *msg;
  GInputStream       *response;
  guint               status;
  GByteArray         *body;
  gsize               body_limit;

  GInputStream       *upload;
  goffset             upload_length;
  char               *content_type;
  goffset             upload_sent;
  EpsimoProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;
} CallData;

static void
call_data_free (gpointer data)
{
  CallData *cd = data;

  if (cd->msg != NULL)
    g_signal_handlers_disconnect_by_data (cd->msg, cd);
  g_clear_object (&cd->msg);
  g_clear_object (&cd->response);
  g_clear_pointer (&cd->body, g_byte_array_unref);
  g_clear_pointer (&cd->redirect_uri, g_uri_unref);
  g_clear_pointer (&cd->sent_token, secret_free);
  g_clear_pointer (&cd->request, epsimo_request_unref);
  g_clear_object (&cd->upload);
  g_free (cd->content_type);
  if (cd->progress_destroy != NULL)
    cd->progress_destroy (cd->progress_data);
  g_free (cd);
}

static void call_authorize (GTask *task);
static void call_send (GTask *task);

static EpsimoBackoffPolicy
backoff_policy (EpsimoClient *self)
{
  EpsimoBackoffPolicy policy = {
    .base_us = (gint64) (self->retry_base_delay * G_USEC_PER_SEC),
    .cap_us = (gint64) (self->retry_max_delay * G_USEC_PER_SEC),
    .max_tries = self->max_tries,
    .budget_us = (gint64) (self->max_retry_time * G_USEC_PER_SEC),
  };

  return policy;
}

static void
on_retry_slept (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sleep_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call_authorize (g_steal_pointer (&task));
}

/* Retries after the backoff (or the server's hint) if the policy allows;
 * else the call fails with @error. Takes @task and @error. */
static void
call_retry_or_fail (GTask  *task,
                    GError *error,
                    gint64  hint_us)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  EpsimoBackoffPolicy policy = backoff_policy (self);
  gint64 delay_us;

  cd->failures++;
  if (!epsimo_backoff_next_delay (&policy, cd->failures,
                                  g_get_monotonic_time () - cd->started_us,
                                  hint_us, NULL, &delay_us))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_debug ("%s %s failed (%s); trying again in %" G_GINT64_FORMAT " ms",
           epsimo_request_get_method (cd->request, cd->dialect),
           epsimo_request_get_path (cd->request, cd->dialect),
           error->message, delay_us / 1000);
  g_error_free (error);
  sleep_async (delay_us, g_task_get_cancellable (task), on_retry_slept, task);
}

static void
call_fail (GTask  *task,
           GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
update_rate_limits (EpsimoClient       *self,
                    SoupMessageHeaders *headers)
{
  static const char * const names[] = {
    "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"
  };

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = soup_message_headers_get_one (headers, names[i]);
      g_autofree char *stripped = NULL;
      gint64 number;

      if (value == NULL)
        continue;
      stripped = g_strstrip (g_strdup (value));
      if (!g_ascii_string_to_signed (stripped, 10, 0, i == 2 ? G_MAXINT64 : G_MAXINT,
                                     &number, NULL))
        continue;

      if (i == 0 && self->rate_limit_limit != number)
        {
          self->rate_limit_limit = (gint) number;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_LIMIT]);
        }
      else if (i == 1 && self->rate_limit_remaining != number)
        {
          self->rate_limit_remaining = (gint) number;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_REMAINING]);
        }
      else if (i == 2 && self->rate_limit_reset != number)
        {
          self->rate_limit_reset = number;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_RESET]);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static gint64
server_wait_hint (SoupMessageHeaders *headers)
{
  gint64 now = g_get_real_time ();
  gint64 hint;

  hint = epsimo_backoff_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                           now);
  if (hint >= 0)
    return hint;

  return epsimo_backoff_parse_rate_limit_reset (
    soup_message_headers_get_one (headers, "X-RateLimit-Remaining"),
    soup_message_headers_get_one (headers, "X-RateLimit-Reset"),
    now);
}

/* libsoup may have read (and closed) the body already: only a seekable,
 * still open stream can be sent again. */
static gboolean
rewind_upload (CallData *cd)
{
  if (!G_IS_SEEKABLE (cd->upload) || !g_seekable_can_seek (G_SEEKABLE (cd->upload)))
    return FALSE;
  if (!g_seekable_seek (G_SEEKABLE (cd->upload), 0, G_SEEK_SET, NULL, NULL))
    return FALSE;

  cd->upload_sent = 0;
  return TRUE;
}

static void
on_401_renewed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *original = g_object_get_data (G_OBJECT (task), "epsimo-401");
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The provider had no credentials: the server's 401 says it best.
       * A failed sign-in (wrong stored password, no network) says more. */
      if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED)
          && epsimo_api_error_get_status (error) == 0 && original != NULL)
        g_task_return_error (task, g_error_copy (original));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call_authorize (g_steal_pointer (&task));
}

static void renew_user_token_async (EpsimoClient        *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);

/* A non-2xx answer whose body was read: decide between trying again (other
 * dialect, renewed token, backoff) and failing. Takes @task. */
static void
call_handle_status (GTask  *task,
                    GBytes *body)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  EpsimoAuthKind auth = epsimo_request_get_auth (cd->request);
  guint status = cd->status;
  GError *error;

  if ((status == 404 || status == 405) && cd->probing)
    {
      if (cd->dialect == EPSIMO_DIALECT_LIVE
          && (cd->mode != MODE_UPLOAD || rewind_upload (cd)))
        {
          cd->dialect = EPSIMO_DIALECT_REFERENCE;
          call_authorize (task);
          return;
        }

      if (cd->dialect == EPSIMO_DIALECT_REFERENCE)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The server does not offer this service: "
                                       "neither %s %s nor %s %s was found."),
                                     epsimo_request_get_method (cd->request,
                                                                EPSIMO_DIALECT_LIVE),
                                     epsimo_request_get_path (cd->request, EPSIMO_DIALECT_LIVE),
                                     epsimo_request_get_method (cd->request,
                                                                EPSIMO_DIALECT_REFERENCE),
                                     epsimo_request_get_path (cd->request,
                                                              EPSIMO_DIALECT_REFERENCE));
          call_fail (task, new_error (EPSIMO_API_ERROR_NOT_FOUND, status, message));
          return;
        }
    }

  error = epsimo_client_error_from_response (status, body);

  /* An upload's body is gone: a renewed token could not resend it. */
  if (status == 401 && cd->mode != MODE_UPLOAD)
    {
      /* Sent before a renewal that has finished since: just use the new one. */
      if (auth == EPSIMO_AUTH_USER && !cd->user_renewed && self->user_token != NULL
          && g_strcmp0 (self->user_token, cd->sent_token) != 0)
        {
          cd->user_renewed = TRUE;
          g_error_free (error);
          call_authorize (task);
          return;
        }

      if (auth == EPSIMO_AUTH_USER && !cd->user_renewed && self->provider != NULL)
        {
          cd->user_renewed = TRUE;
          g_object_set_data_full (G_OBJECT (task), "epsimo-401", error,
                                  (GDestroyNotify) g_error_free);
          renew_user_token_async (self, g_task_get_cancellable (task), on_401_renewed, task);
          return;
        }

      if (auth == EPSIMO_AUTH_PROJECT && !cd->project_renewed)
        {
          const char *id = epsimo_request_get_project_id (cd->request);
          ProjectToken *pt = g_hash_table_lookup (self->project_tokens, id);

          /* Another call may have fetched a fresh one already: keep that. */
          if (pt != NULL && g_strcmp0 (pt->token, cd->sent_token) == 0)
            g_hash_table_remove (self->project_tokens, id);
          cd->project_renewed = TRUE;
          g_error_free (error);
          call_authorize (task);
          return;
        }
    }

  if ((status == 429 || status == 502 || status == 503 || status == 504)
      && cd->mode != MODE_UPLOAD
      && (status == 429 || epsimo_request_is_idempotent (cd->request, cd->dialect)))
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (cd->msg);

      call_retry_or_fail (task, error, server_wait_hint (headers));
      return;
    }

  call_fail (task, error);
}

/* The answer's JSON (a reference to its root: NULL for only whitespace, or with @error set
 * for what is not JSON). The nodes are immutable: they may be handed to another thread once
 * the parser is gone. */
static JsonNode *
parse_answer (GBytes  *bytes,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!epsimo_json_parser_load (parser, g_bytes_get_data (bytes, NULL),
                                (gssize) g_bytes_get_size (bytes), error))
    return NULL;

  root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

/* Ends the call with the answer parsed (@root, or @error). Takes @task and @root. */
static void
call_complete_parsed (GTask        *task,
                      JsonNode     *root,
                      const GError *error)
{
  CallData *cd = g_task_get_task_data (task);

  if (error != NULL)
    {
      call_fail (task, new_error (EPSIMO_API_ERROR_PROTOCOL, cd->status,
                                  _("The server’s answer could not be read.")));
      return;
    }

  /* A NULL @root (only whitespace) is as good as no body. */
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

/* Answers this large are parsed in a worker thread: a project's thousand threads are
 * 250 KB of JSON, about 10 ms of the main thread on the way to the first frame showing
 * them. */
#define PARSE_IN_THREAD_SIZE (64 * 1024)

static void
parse_in_thread (GTask        *parse,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *root = parse_answer (task_data, &error);

  if (error != NULL)
    g_task_return_error (parse, error);
  else
    g_task_return_pointer (parse, root, (GDestroyNotify) json_node_unref);
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = g_task_propagate_pointer (G_TASK (result), &error);

  call_complete_parsed (user_data, root, error);
}

static void
call_complete_body (GTask *task)
{
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *root;

  g_clear_object (&cd->response);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&cd->body));

  if (!SOUP_STATUS_IS_SUCCESSFUL (cd->status))
    {
      call_handle_status (task, bytes);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  if (g_bytes_get_size (bytes) >= PARSE_IN_THREAD_SIZE)
    {
      g_autoptr(GTask) parse = g_task_new (NULL, NULL, on_parsed, task);

      g_task_set_source_tag (parse, call_complete_body);
      g_task_set_task_data (parse, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (parse, parse_in_thread);
      return;
    }

  root = parse_answer (bytes, &error);
  call_complete_parsed (task, root, error);
}

GError *
epsimo_client_error_too_large (EpsimoClient *self,
                               guint         status)
{
  g_autofree char *limit = g_format_size (self->max_response_size);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The server’s answer is larger than %s and was not read."),
                             limit);
  return new_error (EPSIMO_API_ERROR_PROTOCOL, status, message);
}

static void
on_body_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  GCancellable *cancellable;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      /* The answer had begun: not a failure that is safe to repeat. */
      g_task_return_error (task, epsimo_client_error_from_transport (error, self->host));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      call_complete_body (g_steal_pointer (&task));
      return;
    }

  if (cd->body->len + size > cd->body_limit)
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (cd->status))
        {
          g_task_return_error (task, epsimo_client_error_too_large (self, cd->status));
          return;
        }
      /* An error page too big to be an API error: keep the status only. */
      g_byte_array_set_size (cd->body, 0);
      call_complete_body (g_steal_pointer (&task));
      return;
    }

  g_byte_array_append (cd->body, g_bytes_get_data (chunk, NULL), size);
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (cd->response, BODY_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, on_body_read, g_steal_pointer (&task));
}

static void
call_read_body (GTask *task)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (cd->msg);
  gboolean success = SOUP_STATUS_IS_SUCCESSFUL (cd->status);

  cd->body_limit = success ? self->max_response_size : ERROR_BODY_LIMIT;
  cd->body = g_byte_array_new ();

  /* Refuse a announced oversized answer before reading any of it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > cd->body_limit)
    {
      if (success)
        {
          call_fail (task, epsimo_client_error_too_large (self, cd->status));
          return;
        }
      call_complete_body (task);
      return;
    }

  g_input_stream_read_bytes_async (cd->response, BODY_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_body_read, task);
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  int port_a = g_uri_get_port (a);
  int port_b = g_uri_get_port (b);

  if (g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) != 0)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_host (a) ?: "", g_uri_get_host (b) ?: "") != 0)
    return FALSE;
  if (port_a == -1)
    port_a = g_ascii_strcasecmp (g_uri_get_scheme (a), "https") == 0 ? 443 : 80;
  if (port_b == -1)
    port_b = g_ascii_strcasecmp (g_uri_get_scheme (b), "https") == 0 ? 443 : 80;
  return port_a == port_b;
}

/* Redirects are followed here rather than by libsoup, so that the token is
 * never sent to another origin. Takes @task. */
static void
call_follow_redirect (GTask *task)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  const char *location;
  const char *method;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) target = NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (cd->msg),
                                           "Location");
  method = soup_message_get_method (cd->msg);
  if (location != NULL)
    target = g_uri_parse_relative (soup_message_get_uri (cd->msg), location,
                                   SOUP_HTTP_URI_FLAGS, NULL);
  base = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);

  if (target == NULL || base == NULL || !same_origin (base, target)
      || cd->mode == MODE_UPLOAD || cd->redirects >= MAX_REDIRECTS
      || ((cd->status == 301 || cd->status == 302 || cd->status == 303)
          && !g_str_equal (method, "GET") && !g_str_equal (method, "HEAD")))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The server sent the request on to another address, "
                                   "which was not followed (error %u)."), cd->status);
      call_fail (task, new_error (EPSIMO_API_ERROR_PROTOCOL, cd->status, message));
      return;
    }

  cd->redirects++;
  g_clear_pointer (&cd->redirect_uri, g_uri_unref);
  cd->redirect_uri = g_steal_pointer (&target);
  call_send (task);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      GError *mapped = epsimo_client_error_from_transport (error, self->host);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && cd->mode != MODE_UPLOAD
          && epsimo_client_transport_error_is_retryable (
               error, epsimo_request_is_idempotent (cd->request, cd->dialect)))
        call_retry_or_fail (g_steal_pointer (&task), mapped, -1);
      else
        g_task_return_error (task, mapped);
      return;
    }

  status = soup_message_get_status (cd->msg);
  cd->status = status;
  update_rate_limits (self, soup_message_get_response_headers (cd->msg));

  /* These prove the form exists on the server; a 401, 403, 429 or 5xx can
   * come from a gateway before any routing, so they teach nothing. Nor does a
   * path both dialects share: it answers on either kind of server. */
  if (epsimo_request_has_reference (cd->request) && cd->dialect != EPSIMO_DIALECT_UNKNOWN
      && g_strcmp0 (epsimo_request_get_path (cd->request, EPSIMO_DIALECT_LIVE),
                    epsimo_request_get_path (cd->request, EPSIMO_DIALECT_REFERENCE)) != 0
      && (SOUP_STATUS_IS_SUCCESSFUL (status) || status == 400 || status == 409
          || status == 422))
    learn_dialect (self, cd->dialect);

  g_clear_object (&cd->response);
  cd->response = g_steal_pointer (&stream);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != 304)
    {
      call_follow_redirect (g_steal_pointer (&task));
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && (cd->mode == MODE_STREAM || cd->mode == MODE_BODY))
    {
      g_task_return_pointer (task, g_steal_pointer (&cd->response), g_object_unref);
      return;
    }

  call_read_body (g_steal_pointer (&task));
}

static void
on_wrote_body_data (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  CallData *cd = user_data;

  cd->upload_sent += chunk_size;
  if (cd->progress != NULL)
    cd->progress (cd->upload_sent, cd->upload_length, cd->progress_data);
}

/* Takes @task. */
static void
call_send (GTask *task)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *method;
  JsonNode *body;
  SoupMessageFlags flags = SOUP_MESSAGE_NO_REDIRECT;

  method = epsimo_request_get_method (cd->request, cd->dialect);

  if (cd->redirect_uri != NULL)
    uri = g_steal_pointer (&cd->redirect_uri);
  else
    {
      g_autofree char *path = epsimo_request_dup_path_and_query (cd->request, cd->dialect);
      g_autofree char *url = g_strconcat (self->base_url, path, NULL);

      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
      if (uri == NULL)
        {
          g_debug ("Invalid request path %s: %s", path, error->message);
          call_fail (task, new_error (EPSIMO_API_ERROR_INVALID_URL, 0,
                                      _("The request could not be made.")));
          return;
        }
    }

  if (cd->msg != NULL)
    g_signal_handlers_disconnect_by_data (cd->msg, cd);
  g_clear_object (&cd->msg);
  g_clear_object (&cd->response);
  cd->msg = soup_message_new_from_uri (method, uri);

  if (epsimo_request_is_idempotent (cd->request, cd->dialect))
    flags |= SOUP_MESSAGE_IDEMPOTENT;
  soup_message_set_flags (cd->msg, flags);

  headers = soup_message_get_request_headers (cd->msg);
  soup_message_headers_replace (headers, "Accept",
                                cd->mode == MODE_STREAM ? "text/event-stream"
                                                        : "application/json");
  if (cd->sent_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", cd->sent_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (value, 0, strlen (value));
    }

  if (cd->mode == MODE_UPLOAD)
    {
      soup_message_set_request_body (cd->msg, cd->content_type, cd->upload, cd->upload_length);
      g_signal_connect (cd->msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), cd);
    }
  else if ((body = epsimo_request_get_body (cd->request, cd->dialect)) != NULL)
    {
      char *json = json_to_string (body, FALSE);
      /* libsoup takes its own reference. A login body holds the password: wiped when
       * the last reference goes. */
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (json, strlen (json),
                                                            (GDestroyNotify) secret_free,
                                                            json);

      soup_message_set_request_body_from_bytes (cd->msg, "application/json", bytes);
    }

  if (cd->started_us == 0)
    cd->started_us = g_get_monotonic_time ();

  soup_session_send_async (self->session, cd->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_sent, task);
}

static void
call_use_token (GTask      *task,
                const char *token)
{
  CallData *cd = g_task_get_task_data (task);

  g_clear_pointer (&cd->sent_token, secret_free);
  cd->sent_token = g_strdup (token);
  call_send (task);
}

static void
on_user_token_renewed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* A token that is merely close to its end may still be accepted. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || self->user_token == NULL || token_has_expired (self->user_token_expiry))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (self->user_token == NULL)
    {
      g_task_return_error (task, not_signed_in_error ());
      return;
    }

  call_use_token (g_steal_pointer (&task), self->user_token);
}

static void project_token_fetch_async (EpsimoClient        *self,
                                       const char          *project_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

static void
on_project_token_fetched (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ProjectToken *pt;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pt = g_hash_table_lookup (self->project_tokens, epsimo_request_get_project_id (cd->request));
  if (pt == NULL)
    {
      /* Signed out while it was being fetched. */
      g_task_return_error (task, not_signed_in_error ());
      return;
    }

  call_use_token (g_steal_pointer (&task), pt->token);
}

/* Gets the token the request needs, then sends. Takes @task. */
static void
call_authorize (GTask *task)
{
  EpsimoClient *self = g_task_get_source_object (task);
  CallData *cd = g_task_get_task_data (task);

  switch (epsimo_request_get_auth (cd->request))
    {
    case EPSIMO_AUTH_NONE:
      call_use_token (task, NULL);
      break;

    case EPSIMO_AUTH_USER:
      if (self->user_token != NULL && token_is_fresh (self->user_token_expiry))
        call_use_token (task, self->user_token);
      else if (self->provider != NULL)
        renew_user_token_async (self, g_task_get_cancellable (task),
                                on_user_token_renewed, task);
      else if (self->user_token != NULL)
        call_use_token (task, self->user_token);   /* the server decides */
      else
        call_fail (task, not_signed_in_error ());
      break;

    case EPSIMO_AUTH_PROJECT:
      {
        const char *id = epsimo_request_get_project_id (cd->request);
        ProjectToken *pt = g_hash_table_lookup (self->project_tokens, id);

        if (pt != NULL && token_is_fresh (pt->expiry))
          call_use_token (task, pt->token);
        else
          project_token_fetch_async (self, id, g_task_get_cancellable (task),
                                     on_project_token_fetched, task);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static GTask *
call_task_new (EpsimoClient        *self,
               EpsimoRequest       *request,
               CallMode             mode,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CallData *cd = g_new0 (CallData, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, cd, call_data_free);

  cd->request = epsimo_request_ref (request);
  cd->mode = mode;
  cd->dialect = current_dialect (self);
  if (cd->dialect == EPSIMO_DIALECT_UNKNOWN && epsimo_request_has_reference (request))
    {
      cd->dialect = EPSIMO_DIALECT_LIVE;
      cd->probing = TRUE;
    }

  return task;
}

static void
call_internal_async (EpsimoClient        *self,
                     EpsimoRequest       *request,
                     gpointer             source_tag,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  call_authorize (call_task_new (self, request, MODE_CALL, source_tag, cancellable,
                                 callback, user_data));
}

static JsonNode *
call_internal_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Signing in and renewing -------------------------------------------------- */

static void
login_async (EpsimoClient        *self,
             const char          *email,
             const char          *password,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(EpsimoRequest) request = epsimo_request_new ("POST", "/auth/login");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  epsimo_request_set_body (request, body);
  epsimo_request_set_auth (request, EPSIMO_AUTH_NONE, NULL);
  call_internal_async (self, request, login_async, cancellable, callback, user_data);
}

/* Returns the answer and its token, or NULL with @error. */
static JsonObject *
login_finish (GAsyncResult  *result,
              char         **token_out,
              GError       **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = NULL;
  JsonObject *object;

  node = call_internal_finish (result, error);
  if (node == NULL)
    {
      if (error != NULL && *error == NULL)
        *error = new_error (EPSIMO_API_ERROR_PROTOCOL, 0,
                            _("The server’s answer to signing in was empty."));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node)
      || (token = dup_token_member (json_node_get_object (node))) == NULL)
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server’s answer to signing in has no token."));
      return NULL;
    }

  object = json_object_ref (json_node_get_object (node));
  *token_out = g_steal_pointer (&token);
  return object;
}

static void
on_sign_in_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  char *token = NULL;

  answer = login_finish (result, &token, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  epsimo_client_set_user_token (self, token);
  secret_free (token);
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_object_unref);
}

void
epsimo_client_sign_in_async (EpsimoClient        *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_client_sign_in_async);
  login_async (self, email, password, cancellable, on_sign_in_done, g_steal_pointer (&task));
}

JsonObject *
epsimo_client_sign_in_finish (EpsimoClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == epsimo_client_sign_in_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
renewal_complete (EpsimoClient *self,
                  const GError *error)
{
  WaitQueue *queue = g_steal_pointer (&self->renewal);

  if (queue != NULL)
    wait_queue_complete (queue, error);

  /* Only a refusal ends the session; a network failure may pass. */
  if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_UNAUTHORIZED))
    g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

static void
on_renewal_login_done (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  char *token = NULL;

  answer = login_finish (result, &token, &error);
  if (answer == NULL)
    {
      renewal_complete (self, error);
      return;
    }

  if (generation == self->token_generation)
    {
      /* The same user again: the project tokens stay good. */
      set_user_token_internal (self, token);
      g_debug ("Signed in again; the user token was renewed");
      g_signal_emit (self, signals[TOKEN_RENEWED], 0);
    }
  secret_free (token);

  if (self->user_token == NULL)
    {
      g_autoptr(GError) signed_out = not_signed_in_error ();
      renewal_complete (self, signed_out);
    }
  else
    renewal_complete (self, NULL);
}

static void
on_credentials (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);
  g_autoptr(GError) error = NULL;
  Credentials *creds;

  creds = g_task_propagate_pointer (G_TASK (result), &error);
  if (creds == NULL)
    {
      g_autoptr(GError) mapped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mapped = g_steal_pointer (&error);
      else
        {
          g_debug ("No credentials to sign in again: %s",
                   error != NULL ? error->message : "none given");
          mapped = not_signed_in_error ();
        }
      renewal_complete (self, mapped);
      return;
    }

  login_async (self, creds->email, creds->password, self->cancellable,
               on_renewal_login_done, user_data);
  credentials_free (creds);
}

/* Signs in again with the provider's credentials; every caller arriving
 * while that runs waits for the same result. */
static void
renew_user_token_async (EpsimoClient        *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean start = self->renewal == NULL;

  g_task_set_source_tag (task, renew_user_token_async);

  if (self->provider == NULL)
    {
      g_task_return_error (task, not_signed_in_error ());
      g_object_unref (task);
      return;
    }

  if (start)
    self->renewal = wait_queue_new ();
  wait_queue_add (self->renewal, task);

  if (start)
    {
      GTask *provider_task;

      /* The provider may answer at once; the queue is in place by then.
       * The generation tells on_renewal_login_done () whether the user
       * signed out meanwhile. */
      provider_task = g_task_new (self, self->cancellable, on_credentials,
                                  GUINT_TO_POINTER (self->token_generation));
      g_task_set_source_tag (provider_task, epsimo_credentials_task_return);
      self->provider (self, self->cancellable, provider_task, self->provider_data);
    }
}

/* Project tokens ----------------------------------------------------------- */

typedef struct
{
  EpsimoClient *client;
  char         *project_id;
  guint         generation;
} ProjectFetch;

static void
project_fetch_free (ProjectFetch *fetch)
{
  g_clear_object (&fetch->client);
  g_free (fetch->project_id);
  g_free (fetch);
}

static void
on_project_fetched (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ProjectFetch *fetch = user_data;
  EpsimoClient *self = fetch->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = NULL;
  WaitQueue *queue = NULL;
  char *key = NULL;

  node = call_internal_finish (result, &error);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    token = dup_token_member (json_node_get_object (node));
  if (error == NULL && token == NULL)
    error = new_error (EPSIMO_API_ERROR_PROTOCOL, 0,
                       _("The server did not give access to this project."));

  if (token != NULL && fetch->generation == self->token_generation)
    epsimo_client_set_project_token (self, fetch->project_id, token);
  if (token != NULL)
    memset (token, 0, strlen (token));

  if (g_hash_table_steal_extended (self->project_fetches, fetch->project_id,
                                   (gpointer *) &key, (gpointer *) &queue))
    {
      g_free (key);
      wait_queue_complete (queue, error);
    }

  project_fetch_free (fetch);
}

/* GET /projects/{id} with the user token, once for all waiting calls. */
static void
project_token_fetch_async (EpsimoClient        *self,
                           const char          *project_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  WaitQueue *queue = g_hash_table_lookup (self->project_fetches, project_id);
  g_autoptr(EpsimoRequest) request = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  ProjectFetch *fetch;

  g_task_set_source_tag (task, project_token_fetch_async);

  if (queue != NULL)
    {
      wait_queue_add (queue, task);
      return;
    }

  queue = wait_queue_new ();
  g_hash_table_insert (self->project_fetches, g_strdup (project_id), queue);
  wait_queue_add (queue, task);

  escaped = epsimo_request_escape (project_id);
  path = g_strconcat ("/projects/", escaped, NULL);
  request = epsimo_request_new ("GET", path);

  fetch = g_new0 (ProjectFetch, 1);
  fetch->client = g_object_ref (self);
  fetch->project_id = g_strdup (project_id);
  fetch->generation = self->token_generation;
  call_internal_async (self, request, project_token_fetch_async, self->cancellable,
                       on_project_fetched, fetch);
}

/* Public calls ------------------------------------------------------------- */

void
epsimo_client_call_async (EpsimoClient        *self,
                          EpsimoRequest       *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  call_authorize (call_task_new (self, request, MODE_CALL, epsimo_client_call_async,
                                 cancellable, callback, user_data));
}

static gboolean
finish_with_node (GAsyncResult   *result,
                  JsonNode      **node_out,
                  EpsimoDialect  *dialect_out,
                  GError        **error)
{
  CallData *cd = g_task_get_task_data (G_TASK (result));
  GError *local_error = NULL;
  JsonNode *node;

  node = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (dialect_out != NULL)
    *dialect_out = cd->dialect;
  if (node_out != NULL)
    *node_out = node;
  else if (node != NULL)
    json_node_unref (node);
  return TRUE;
}

gboolean
epsimo_client_call_finish (EpsimoClient   *self,
                           GAsyncResult   *result,
                           JsonNode      **node_out,
                           EpsimoDialect  *dialect_out,
                           GError        **error)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == epsimo_client_call_async,
                        FALSE);

  if (node_out != NULL)
    *node_out = NULL;
  return finish_with_node (result, node_out, dialect_out, error);
}

void
epsimo_client_open_stream_async (EpsimoClient        *self,
                                 EpsimoRequest       *request,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  call_authorize (call_task_new (self, request, MODE_STREAM, epsimo_client_open_stream_async,
                                 cancellable, callback, user_data));
}

/* The response stream of a MODE_STREAM or MODE_BODY call started with @tag. */
static GInputStream *
open_response_finish (EpsimoClient   *self,
                      GAsyncResult   *result,
                      gpointer        tag,
                      EpsimoDialect  *dialect_out,
                      GError        **error)
{
  CallData *cd;
  GInputStream *stream;

  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  cd = g_task_get_task_data (G_TASK (result));
  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && dialect_out != NULL)
    *dialect_out = cd->dialect;
  return stream;
}

GInputStream *
epsimo_client_open_stream_finish (EpsimoClient   *self,
                                  GAsyncResult   *result,
                                  EpsimoDialect  *dialect_out,
                                  GError        **error)
{
  return open_response_finish (self, result, epsimo_client_open_stream_async, dialect_out,
                               error);
}

void
epsimo_client_open_body_async (EpsimoClient        *self,
                               EpsimoRequest       *request,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  call_authorize (call_task_new (self, request, MODE_BODY, epsimo_client_open_body_async,
                                 cancellable, callback, user_data));
}

GInputStream *
epsimo_client_open_body_finish (EpsimoClient   *self,
                                GAsyncResult   *result,
                                EpsimoDialect  *dialect_out,
                                GError        **error)
{
  return open_response_finish (self, result, epsimo_client_open_body_async, dialect_out,
                               error);
}

void
epsimo_client_upload_async (EpsimoClient        *self,
                            EpsimoRequest       *request,
                            GInputStream        *body,
                            goffset              length,
                            const char          *content_type,
                            EpsimoProgressFunc   progress,
                            gpointer             progress_data,
                            GDestroyNotify       progress_destroy,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  CallData *cd;

  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = call_task_new (self, request, MODE_UPLOAD, epsimo_client_upload_async,
                        cancellable, callback, user_data);
  cd = g_task_get_task_data (task);
  cd->upload = g_object_ref (body);
  cd->upload_length = length >= 0 ? length : -1;
  cd->content_type = g_strdup (content_type);
  cd->progress = progress;
  cd->progress_data = progress_data;
  cd->progress_destroy = progress_destroy;

  call_authorize (task);
}

gboolean
epsimo_client_upload_finish (EpsimoClient   *self,
                             GAsyncResult   *result,
                             JsonNode      **node_out,
                             EpsimoDialect  *dialect_out,
                             GError        **error)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == epsimo_client_upload_async,
                        FALSE);

  if (node_out != NULL)
    *node_out = NULL;
  return finish_with_node (result, node_out, dialect_out, error);
}

/* The object --------------------------------------------------------------- */

const char *
epsimo_client_get_base_url (EpsimoClient *self)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), NULL);

  return self->base_url;
}

EpsimoDialect
epsimo_client_get_dialect (EpsimoClient *self)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (self), EPSIMO_DIALECT_UNKNOWN);

  return current_dialect (self);
}

void
epsimo_client_set_dialect (EpsimoClient  *self,
                           EpsimoDialect  dialect)
{
  g_return_if_fail (EPSIMO_IS_CLIENT (self));
  g_return_if_fail (dialect <= EPSIMO_DIALECT_REFERENCE);

  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    dialect_cache_store (self->base_url, EPSIMO_DIALECT_UNKNOWN);
  set_dialect_internal (self, dialect);
}

EpsimoClient *
epsimo_client_new (const char  *base_url,
                   GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GUri) uri = NULL;
  EpsimoClient *self;

  normalized = epsimo_client_normalize_base_url (base_url, error);
  if (normalized == NULL)
    return NULL;

  self = g_object_new (EPSIMO_TYPE_CLIENT, NULL);
  self->base_url = g_steal_pointer (&normalized);
  uri = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);
  self->host = g_strdup (uri != NULL ? g_uri_get_host (uri) : self->base_url);
  self->dialect = dialect_cache_lookup (self->base_url);
  /* Its first requests then find the proxy looked up (see EpsimoProxyResolver). */
  epsimo_proxy_resolver_warm (epsimo_proxy_resolver_get_default (), self->base_url);

  return self;
}

static void
epsimo_client_dispose (GObject *object)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  epsimo_client_set_credentials_provider (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (epsimo_client_parent_class)->dispose (object);
}

static void
epsimo_client_finalize (GObject *object)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);

  g_clear_pointer (&self->user_token, secret_free);
  g_clear_pointer (&self->project_tokens, g_hash_table_unref);
  g_clear_pointer (&self->project_fetches, g_hash_table_unref);
  g_clear_pointer (&self->renewal, wait_queue_free);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->base_url);
  g_free (self->host);

  G_OBJECT_CLASS (epsimo_client_parent_class)->finalize (object);
}

static void
epsimo_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_DIALECT:
      g_value_set_uint (value, self->dialect);
      break;
    case PROP_RATE_LIMIT_LIMIT:
      g_value_set_int (value, self->rate_limit_limit);
      break;
    case PROP_RATE_LIMIT_REMAINING:
      g_value_set_int (value, self->rate_limit_remaining);
      break;
    case PROP_RATE_LIMIT_RESET:
      g_value_set_int64 (value, self->rate_limit_reset);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->user_token != NULL);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    case PROP_RETRY_BASE_DELAY:
      g_value_set_double (value, self->retry_base_delay);
      break;
    case PROP_RETRY_MAX_DELAY:
      g_value_set_double (value, self->retry_max_delay);
      break;
    case PROP_MAX_RETRY_TIME:
      g_value_set_double (value, self->max_retry_time);
      break;
    case PROP_MAX_TRIES:
      g_value_set_uint (value, self->max_tries);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_double_prop (EpsimoClient *self,
                 double       *field,
                 double        value,
                 guint         prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
epsimo_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EpsimoClient *self = EPSIMO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_MAX_RESPONSE_SIZE:
      if (self->max_response_size != g_value_get_uint64 (value))
        {
          self->max_response_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_RETRY_BASE_DELAY:
      set_double_prop (self, &self->retry_base_delay, g_value_get_double (value), prop_id);
      break;
    case PROP_RETRY_MAX_DELAY:
      set_double_prop (self, &self->retry_max_delay, g_value_get_double (value), prop_id);
      break;
    case PROP_MAX_RETRY_TIME:
      set_double_prop (self, &self->max_retry_time, g_value_get_double (value), prop_id);
      break;
    case PROP_MAX_TRIES:
      if (self->max_tries != g_value_get_uint (value))
        {
          self->max_tries = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TIMEOUT:
      if (self->timeout != g_value_get_uint (value))
        {
          self->timeout = g_value_get_uint (value);
          /* Applies to connections opened from now on. */
          soup_session_set_timeout (self->session, self->timeout);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_client_class_init (EpsimoClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_client_dispose;
  object_class->finalize = epsimo_client_finalize;
  object_class->get_property = epsimo_client_get_property;
  object_class->set_property = epsimo_client_set_property;

  /**
   * EpsimoClient:base-url:
   *
   * The server, canonical (no trailing slash).
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, ro);

  /**
   * EpsimoClient:dialect:
   *
   * The #EpsimoDialect the server speaks (as a guint: the enum has no GType).
   */
  properties[PROP_DIALECT] =
    g_param_spec_uint ("dialect", NULL, NULL,
                       EPSIMO_DIALECT_UNKNOWN, EPSIMO_DIALECT_REFERENCE,
                       EPSIMO_DIALECT_UNKNOWN, ro);

  /**
   * EpsimoClient:rate-limit-limit:
   *
   * X-RateLimit-Limit of the last answer that had it, or -1.
   */
  properties[PROP_RATE_LIMIT_LIMIT] =
    g_param_spec_int ("rate-limit-limit", NULL, NULL, -1, G_MAXINT, -1, ro);

  /**
   * EpsimoClient:rate-limit-remaining:
   *
   * X-RateLimit-Remaining of the last answer that had it, or -1.
   */
  properties[PROP_RATE_LIMIT_REMAINING] =
    g_param_spec_int ("rate-limit-remaining", NULL, NULL, -1, G_MAXINT, -1, ro);

  /**
   * EpsimoClient:rate-limit-reset:
   *
   * X-RateLimit-Reset (epoch seconds) of the last answer that had it, or 0.
   */
  properties[PROP_RATE_LIMIT_RESET] =
    g_param_spec_int64 ("rate-limit-reset", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * EpsimoClient:signed-in:
   *
   * Whether the client has a user token.
   */
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, ro);

  /**
   * EpsimoClient:max-response-size:
   *
   * The largest answer body read (bytes); a larger one is refused with
   * %EPSIMO_API_ERROR_PROTOCOL without being loaded. Streams are not capped.
   */
  properties[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL,
                         0, G_MAXUINT64, DEFAULT_MAX_RESPONSE_SIZE, rw);

  /**
   * EpsimoClient:retry-base-delay:
   *
   * Seconds: the first retry waits up to this, each further one up to twice
   * as long (full jitter).
   */
  properties[PROP_RETRY_BASE_DELAY] =
    g_param_spec_double ("retry-base-delay", NULL, NULL,
                         0, 3600, DEFAULT_RETRY_BASE_DELAY, rw);

  /**
   * EpsimoClient:retry-max-delay:
   *
   * Seconds: no computed wait between tries exceeds this.
   */
  properties[PROP_RETRY_MAX_DELAY] =
    g_param_spec_double ("retry-max-delay", NULL, NULL,
                         0, 3600, DEFAULT_RETRY_MAX_DELAY, rw);

  /**
   * EpsimoClient:max-retry-time:
   *
   * Seconds from the first try after which no retry starts; a server asking
   * to wait beyond it gets no retry at all.
   */
  properties[PROP_MAX_RETRY_TIME] =
    g_param_spec_double ("max-retry-time", NULL, NULL,
                         0, 24 * 3600, DEFAULT_MAX_RETRY_TIME, rw);

  /**
   * EpsimoClient:max-tries:
   *
   * Tries of one request in all, the first included (1: no retries).
   */
  properties[PROP_MAX_TRIES] =
    g_param_spec_uint ("max-tries", NULL, NULL, 1, 100, DEFAULT_MAX_TRIES, rw);

  /**
   * EpsimoClient:timeout:
   *
   * Seconds the server may stay silent (connecting, or during any single
   * read or write) before the exchange fails: a stream is cut only after
   * this long without a byte, however long it lasts in all. Applies to
   * connections opened after it is set.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, 3600, DEFAULT_TIMEOUT_S, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EpsimoClient::token-renewed:
   *
   * The client signed in again by itself (through the credentials provider)
   * and now has a new user token: store epsimo_client_dup_user_token().
   * Not emitted for epsimo_client_sign_in_async(), whose caller has the
   * answer already.
   */
  signals[TOKEN_RENEWED] =
    g_signal_new ("token-renewed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * EpsimoClient::session-expired:
   *
   * The user token ran out and could not be renewed (no stored credentials, or the server
   * refused them): the user has to sign in again.
   */
  signals[SESSION_EXPIRED] =
    g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
epsimo_client_init (EpsimoClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->rate_limit_limit = -1;
  self->rate_limit_remaining = -1;
  self->max_response_size = DEFAULT_MAX_RESPONSE_SIZE;
  self->retry_base_delay = DEFAULT_RETRY_BASE_DELAY;
  self->retry_max_delay = DEFAULT_RETRY_MAX_DELAY;
  self->max_retry_time = DEFAULT_MAX_RETRY_TIME;
  self->max_tries = DEFAULT_MAX_TRIES;
  self->timeout = DEFAULT_TIMEOUT_S;
  self->project_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                project_token_free);
  self->project_fetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 wait_queue_free);

  /* TLS is checked by GIO against the system's trust store; nothing here
   * connects to SoupMessage::accept-certificate, so a bad certificate is
   * always an error. */
  self->session = soup_session_new_with_options ("user-agent", "epsimo-desktop/" PACKAGE_VERSION,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 "proxy-resolver",
                                                 epsimo_proxy_resolver_get_default (),
                                                 NULL);
}
