/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-credits-service"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-auth-service.h"
#include "epsimo-credits-service.h"
#include "epsimo-json.h"

struct _EpsimoCreditsService
{
  GObject       parent_instance;

  EpsimoClient *client;
};

G_DEFINE_FINAL_TYPE (EpsimoCreditsService, epsimo_credits_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_credits_service_dispose (GObject *object)
{
  EpsimoCreditsService *self = (EpsimoCreditsService *)object;

  g_clear_object (&self->client);

  G_OBJECT_CLASS (epsimo_credits_service_parent_class)->dispose (object);
}

static void
epsimo_credits_service_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoCreditsService *self = EPSIMO_CREDITS_SERVICE (object);

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
epsimo_credits_service_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EpsimoCreditsService *self = EPSIMO_CREDITS_SERVICE (object);

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
epsimo_credits_service_class_init (EpsimoCreditsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = epsimo_credits_service_dispose;
  object_class->get_property = epsimo_credits_service_get_property;
  object_class->set_property = epsimo_credits_service_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         EPSIMO_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_credits_service_init (EpsimoCreditsService *self)
{
}

EpsimoCreditsService *
epsimo_credits_service_new (EpsimoClient *client)
{
  g_return_val_if_fail (EPSIMO_IS_CLIENT (client), NULL);

  return g_object_new (EPSIMO_TYPE_CREDITS_SERVICE, "client", client, NULL);
}

EpsimoClient *
epsimo_credits_service_get_client (EpsimoCreditsService *self)
{
  g_return_val_if_fail (EPSIMO_IS_CREDITS_SERVICE (self), NULL);

  return self->client;
}

gint64
epsimo_credits_price_for_quantity (gint64 quantity)
{
  gint64 unit_cents;

  if (quantity < 1)
    return 0;

  if (quantity >= 1000)
    unit_cents = 8;
  else if (quantity >= 500)
    unit_cents = 9;
  else
    unit_cents = 10;

  /* No overflow: G_MAXINT64 / 10 threads is not a purchase. */
  if (quantity > G_MAXINT64 / unit_cents)
    return G_MAXINT64;

  return quantity * unit_cents;
}

/* Balance */

/* Answers @task with the balance in @node, or with @error (not taken) when the call failed. */
static void
return_balance (GTask        *task,
                JsonNode     *node,
                const GError *error)
{
  GError *parse_error = NULL;
  EpsimoBalance *balance;

  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server sent a balance that could not be read"));
      return;
    }

  balance = epsimo_balance_new_from_json (json_node_get_object (node), &parse_error);
  if (balance == NULL)
    g_task_return_error (task, parse_error);
  else
    g_task_return_pointer (task, balance, g_object_unref);
}

static void
balance_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error);
  return_balance (task, node, error);
}

/* Asks the balance in @dialect's terms (not UNKNOWN). Takes @task. */
static void
ask_balance (GTask         *task,
             EpsimoDialect  dialect)
{
  EpsimoCreditsService *self = g_task_get_source_object (task);
  g_autoptr(EpsimoRequest) request = NULL;

  request = epsimo_request_new ("GET", dialect == EPSIMO_DIALECT_LIVE ? "/auth/thread-info"
                                                                      : "/credits/balance");
  epsimo_client_call_async (self->client, request, g_task_get_cancellable (task),
                            balance_cb, task);
}

/* While the server's dialect is not known yet (its first call in this process), the live
 * backend's GET /auth/thread-info goes out beside the dialect's probe rather than after
 * it: a round trip less on the way to the balance (and to a resumed sign-in, which waits
 * for it) on the live backend. Its answer is used once the probe says the server is live;
 * a reference server, which has the path too, is asked GET /credits/balance after its
 * probe, as before. */
typedef struct
{
  GTask         *task;           /* the balance call, until answered */
  int            pending;        /* calls not answered yet */
  EpsimoDialect  dialect;        /* UNKNOWN until the probe answered */
  JsonNode      *early_node;
  GError        *early_error;
  gboolean       early_done;
} EarlyBalance;

static void
early_balance_unref (EarlyBalance *early)
{
  if (--early->pending > 0)
    return;
  g_clear_object (&early->task);
  g_clear_pointer (&early->early_node, json_node_unref);
  g_clear_error (&early->early_error);
  g_free (early);
}

static void
early_balance_settle (EarlyBalance *early)
{
  if (early->task == NULL)
    return;

  if (early->dialect == EPSIMO_DIALECT_LIVE && early->early_done)
    {
      g_autoptr(GTask) task = g_steal_pointer (&early->task);

      return_balance (task, early->early_node, early->early_error);
    }
  else if (early->dialect == EPSIMO_DIALECT_REFERENCE)
    ask_balance (g_steal_pointer (&early->task), EPSIMO_DIALECT_REFERENCE);
}

static void
early_thread_info_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  EarlyBalance *early = user_data;

  epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &early->early_node, NULL,
                             &early->early_error);
  early->early_done = TRUE;
  early_balance_settle (early);
  early_balance_unref (early);
}

static void
early_dialect_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EarlyBalance *early = user_data;
  g_autoptr(GError) error = NULL;

  early->dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                              result, &error);
  if (early->dialect == EPSIMO_DIALECT_UNKNOWN && early->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&early->task);

      g_task_return_error (task, g_steal_pointer (&error));
    }
  early_balance_settle (early);
  early_balance_unref (early);
}

void
epsimo_credits_service_get_balance_async (EpsimoCreditsService *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoAuthService) auth = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  EpsimoDialect dialect;
  EarlyBalance *early;

  g_return_if_fail (EPSIMO_IS_CREDITS_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_credits_service_get_balance_async);

  /* The reference dialect has GET /auth/thread-info too, so a live-first
   * fallback would answer on either server and mislabel a reference one:
   * the dialect decides which path is asked (and whose answer is used). */
  dialect = epsimo_client_get_dialect (self->client);
  if (dialect != EPSIMO_DIALECT_UNKNOWN)
    {
      ask_balance (g_steal_pointer (&task), dialect);
      return;
    }

  early = g_new0 (EarlyBalance, 1);
  early->task = g_steal_pointer (&task);
  early->pending = 2;
  auth = epsimo_auth_service_new (self->client);
  epsimo_auth_service_ensure_dialect_async (auth, cancellable, early_dialect_cb, early);
  request = epsimo_request_new ("GET", "/auth/thread-info");
  epsimo_client_call_async (self->client, request, cancellable, early_thread_info_cb, early);
}

EpsimoBalance *
epsimo_credits_service_get_balance_finish (EpsimoCreditsService  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (EPSIMO_IS_CREDITS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_credits_service_get_balance_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Checkout */

typedef struct
{
  char *url;
  char *session_id;
} Checkout;

static void
checkout_free (Checkout *checkout)
{
  g_free (checkout->url);
  g_free (checkout->session_id);
  g_free (checkout);
}

/* The page is opened in the user's browser: only a real https address. */
static gboolean
is_secure_address (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 &&
         host != NULL && *host != '\0' && g_uri_get_userinfo (uri) == NULL;
}

static void
checkout_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *url;
  Checkout *checkout;

  if (!epsimo_client_call_finish (EPSIMO_CLIENT (source), result, &node, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The server’s payment answer could not be read"));
      return;
    }

  object = json_node_get_object (node);
  url = epsimo_json_require_string (object, "url", _("payment session"), &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!is_secure_address (url))
    {
      g_task_return_new_error (task, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                               _("The payment page was refused: not a secure address"));
      return;
    }

  checkout = g_new0 (Checkout, 1);
  checkout->url = g_strdup (url);
  checkout->session_id = g_strdup (epsimo_json_get_string (object, "session_id"));
  g_task_return_pointer (task, checkout, (GDestroyNotify) checkout_free);
}

void
epsimo_credits_service_checkout_async (EpsimoCreditsService *self,
                                       gint64                quantity,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EpsimoRequest) request = NULL;
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonObject) reference = NULL;
  g_autoptr(JsonNode) live_node = NULL;
  g_autoptr(JsonNode) reference_node = NULL;
  double amount;

  g_return_if_fail (EPSIMO_IS_CREDITS_SERVICE (self));
  g_return_if_fail (quantity >= 1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, epsimo_credits_service_checkout_async);

  /* Euros, as the API takes them (80.00 for 1000 threads). */
  amount = (double) epsimo_credits_price_for_quantity (quantity) / 100.0;

  live = json_object_new ();
  json_object_set_int_member (live, "quantity", quantity);
  json_object_set_double_member (live, "total_amount", amount);
  live_node = json_node_init_object (json_node_alloc (), live);

  reference = json_object_new ();
  json_object_set_int_member (reference, "quantity", quantity);
  json_object_set_double_member (reference, "amount", amount);
  reference_node = json_node_init_object (json_node_alloc (), reference);

  request = epsimo_request_new ("POST", "/checkout/create-checkout-session");
  epsimo_request_set_body (request, live_node);
  epsimo_request_set_reference (request, "POST", "/credits/checkout", reference_node);
  epsimo_client_call_async (self->client, request, cancellable,
                            checkout_cb, g_steal_pointer (&task));
}

char *
epsimo_credits_service_checkout_finish (EpsimoCreditsService  *self,
                                        GAsyncResult          *result,
                                        char                 **session_id,
                                        GError               **error)
{
  Checkout *checkout;
  char *url;

  g_return_val_if_fail (EPSIMO_IS_CREDITS_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        epsimo_credits_service_checkout_async, NULL);

  checkout = g_task_propagate_pointer (G_TASK (result), error);
  if (session_id != NULL)
    *session_id = checkout != NULL ? g_steal_pointer (&checkout->session_id) : NULL;
  if (checkout == NULL)
    return NULL;

  url = g_steal_pointer (&checkout->url);
  checkout_free (checkout);
  return url;
}
