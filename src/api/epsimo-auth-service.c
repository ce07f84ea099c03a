/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-auth-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-json.h"

struct _EpsimoAuthService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoAuthService, epsimo_auth_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *email;
  char *password;
} SignUpData;

static void
sign_up_data_free (SignUpData *data)
{
  g_free (data->email);
  /* The password is a secret: do not leave it in freed memory. */
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

typedef struct
{
  gboolean  needs_verification;
  char     *message;
} SignUpResult;

static void
sign_up_result_free (SignUpResult *result)
{
  g_free (result->message);
  g_free (result);
}

static void
epsimo_auth_service_dispose (GObject *object)
{
  EpsimoAuthService *self = (EpsimoAuthService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_auth_service_parent_class)->dispose (object);
}

static void
epsimo_auth_service_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EpsimoAuthService *self = EPSIMO_AUTH_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_auth_service_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EpsimoAuthService *self = EPSIMO_AUTH_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_auth_service_class_init (EpsimoAuthServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_auth_service_dispose;
  object_class->get_property = epsimo_auth_service_get_property;
  object_class->set_property = epsimo_auth_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_auth_service_init (EpsimoAuthService *self)
{
}

EpsimoAuthService *
epsimo_auth_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_AUTH_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_auth_service_get_client (EpsimoAuthService *self)
{
  g_return_val_if_fail (EPSIMO_IS_AUTH_SERVICE (self), NULL);

  return self->client;
}

/* Sign up */

static gboolean
mentions_verification (const char *message)
{
  g_autofree char *lower = NULL;

  if (message == NULL)
    return FALSE;

  lower = g_utf8_strdown (message, -1);
  return strstr (lower, "verif") != NULL || strstr (lower, "confirm") != NULL;
}

static void
sign_up_sign_in_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = epsimo_client_sign_in_finish (EPSIMO_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_new0 (SignUpResult, 1), (GDestroyNotify) sign_up_result_free);
}

static void
sign_up_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoAuthService *self = g_task_get_source_object (task);
  SignUpData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *token;
  const char *message;
  SignUpResult *answer;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server’s answer to the sign-up could not be read"));
      return;
    }

  object = json_node_get_object (node);
  token = epsimo_json_get_token (object);
  message = epsimo_json_get_string (object, "message");

  if (token != NULL)
    {
      epsimo_client_set_user_token (self->client, token);
      answer = g_new0 (SignUpResult, 1);
      answer->message = g_strdup (message);
      g_task_return_pointer (task, answer, (GDestroyNotify) sign_up_result_free);
      return;
    }

  if (mentions_verification (message))
    {
      answer = g_new0 (SignUpResult, 1);
      answer->needs_verification = TRUE;
      answer->message = g_strdup (message);
      g_task_return_pointer (task, answer, (GDestroyNotify) sign_up_result_free);
      return;
    }

  /* The account exists but the answer carried no token: sign in the usual
   * way, as a user would right after signing up. */
  epsimo_client_sign_in_async (self->client, data->email, data->password,
                               g_task_get_cancellable (task),
                               sign_up_sign_in_cb, g_object_ref (task));
}

void
epsimo_auth_service_sign_up_async (EpsimoAuthService   *self,
                                   const char          *email,
                                   const char          *password,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  SignUpData *data;

  g_return_if_fail (EPSIMO_IS_AUTH_SERVICE (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_auth_service_sign_up_async);

  data = g_new0 (SignUpData, 1);
  data->email = g_strdup (email);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_up_data_free);

  body = json_object_new ();
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  if (name != NULL && *name != '\0')
    json_object_set_string_member (body, "name", name);
  node = json_node_init_object (json_node_alloc (), body);

  request = epsimo_request_new ("POST", "/auth/signup");
  epsimo_request_set_auth (request, EPSIMO_AUTH_NONE, NULL);
  epsimo_request_set_body (request, node);

  epsimo_client_call_async (self->client, request, cancellable,
                            sign_up_cb, g_steal_pointer (&task));
}

gboolean
epsimo_auth_service_sign_up_finish (EpsimoAuthService  *self,
                                    GAsyncResult       *result,
                                    gboolean           *needs_verification,
                                    char              **message,
                                    GError            **error)
{
  SignUpResult *answer;

  g_return_val_if_fail (EPSIMO_IS_AUTH_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_auth_service_sign_up_async, FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    {
      if (needs_verification != NULL)
        *needs_verification = FALSE;
      if (message != NULL)
        *message = NULL;
      return FALSE;
    }

  if (needs_verification != NULL)
    *needs_verification = answer->needs_verification;
  if (message != NULL)
    *message = g_steal_pointer (&answer->message);
  sign_up_result_free (answer);

  return TRUE;
}

/* Sign in */

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = epsimo_client_sign_in_finish (EPSIMO_CLIENT (source), result, &error);
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
epsimo_auth_service_sign_in_async (EpsimoAuthService   *self,
                                   const char          *email,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EPSIMO_IS_AUTH_SERVICE (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_auth_service_sign_in_async);

  epsimo_client_sign_in_async (self->client, email, password, cancellable,
                               sign_in_cb, g_steal_pointer (&task));
}

gboolean
epsimo_auth_service_sign_in_finish (EpsimoAuthService  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (EPSIMO_IS_AUTH_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_auth_service_sign_in_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
epsimo_auth_service_sign_out (EpsimoAuthService *self)
{
  g_return_if_fail (EPSIMO_IS_AUTH_SERVICE (self));

  epsimo_client_forget_tokens (self->client);
}

/* Thread info */

static void
thread_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoBalance *balance;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server’s account details could not be read"));
      return;
    }

  balance = epsimo_balance_new_from_json (json_node_get_object (node), &error);
  if (balance == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, balance, g_object_unref);
}

void
epsimo_auth_service_get_thread_info_async (EpsimoAuthService   *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;

  g_return_if_fail (EPSIMO_IS_AUTH_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_auth_service_get_thread_info_async);

  request = epsimo_request_new ("GET", "/auth/thread-info");
  epsimo_client_call_async (self->client, request, cancellable,
                            thread_info_cb, g_steal_pointer (&task));
}

EpsimoBalance *
epsimo_auth_service_get_thread_info_finish (EpsimoAuthService  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (EPSIMO_IS_AUTH_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_auth_service_get_thread_info_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Dialect */

static void
ensure_dialect_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EpsimoClient *client = EPSIMO_CLIENT (source);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect = EPSIMO_DIALECT_UNKNOWN;

  if (!epsimo_client_call_finish (client, result, &node, &dialect, &error))
    {
      /* Neither probe exists: the server is not the live backend (which
       * has the tools catalogue), so write the reference shapes. */
      if (!g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      dialect = EPSIMO_DIALECT_REFERENCE;
    }

  if (epsimo_client_get_dialect (client) != EPSIMO_DIALECT_UNKNOWN)
    dialect = epsimo_client_get_dialect (client);
  else if (dialect == EPSIMO_DIALECT_UNKNOWN)
    dialect = EPSIMO_DIALECT_LIVE;

  g_task_return_int (task, dialect);
}

void
epsimo_auth_service_ensure_dialect_async (EpsimoAuthService   *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  EpsimoDialect dialect;

  g_return_if_fail (EPSIMO_IS_AUTH_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_auth_service_ensure_dialect_async);

  dialect = epsimo_client_get_dialect (self->client);
  if (dialect != EPSIMO_DIALECT_UNKNOWN)
    {
      g_task_return_int (task, dialect);
      return;
    }

  /* The tools catalogue exists only on the live backend and the credits
   * balance only in the reference: whichever answers names the dialect,
   * and the client remembers it for the base URL. */
  request = epsimo_request_new ("GET", "/tools/");
  epsimo_request_set_reference (request, "GET", "/credits/balance", NULL);
  epsimo_client_call_async (self->client, request, cancellable,
                            ensure_dialect_cb, g_steal_pointer (&task));
}

EpsimoDialect
epsimo_auth_service_ensure_dialect_finish (EpsimoAuthService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize dialect;

  g_return_val_if_fail (EPSIMO_IS_AUTH_SERVICE (self), EPSIMO_DIALECT_UNKNOWN);
  g_return_val_if_fail (g_task_is_valid (result, self), EPSIMO_DIALECT_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_auth_service_ensure_dialect_async, EPSIMO_DIALECT_UNKNOWN);

  dialect = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return EPSIMO_DIALECT_UNKNOWN;
    }

  return (EpsimoDialect) dialect;
}
