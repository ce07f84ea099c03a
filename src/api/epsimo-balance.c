/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-balance"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-balance.h"
#include "epsimo-json.h"

struct _EpsimoBalance
{
  GObject   parent_instance;

  gint64    thread_counter;
  gint64    thread_max;
  gint64    threads_remaining;   /* -1: not sent, computed */
  char     *subscription_tier;
  char     *email;
  char     *user_id;
};

G_DEFINE_FINAL_TYPE (EpsimoBalance, epsimo_balance, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_THREAD_COUNTER,
  PROP_THREAD_MAX,
  PROP_THREADS_REMAINING,
  PROP_SUBSCRIPTION_TIER,
  PROP_EMAIL,
  PROP_USER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_balance_finalize (GObject *object)
{
  EpsimoBalance *self = (EpsimoBalance *)object;

  g_clear_pointer (&self->subscription_tier, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (epsimo_balance_parent_class)->finalize (object);
}

static void
epsimo_balance_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EpsimoBalance *self = EPSIMO_BALANCE (object);

  switch (prop_id)
    {
    case PROP_THREAD_COUNTER:
      g_value_set_int64 (value, self->thread_counter);
      break;

    case PROP_THREAD_MAX:
      g_value_set_int64 (value, self->thread_max);
      break;

    case PROP_THREADS_REMAINING:
      g_value_set_int64 (value, epsimo_balance_get_threads_remaining (self));
      break;

    case PROP_SUBSCRIPTION_TIER:
      g_value_set_string (value, self->subscription_tier);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_balance_class_init (EpsimoBalanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_balance_finalize;
  object_class->get_property = epsimo_balance_get_property;

  properties[PROP_THREAD_COUNTER] =
    g_param_spec_int64 ("thread-counter", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_THREAD_MAX] =
    g_param_spec_int64 ("thread-max", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_THREADS_REMAINING] =
    g_param_spec_int64 ("threads-remaining", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUBSCRIPTION_TIER] =
    g_param_spec_string ("subscription-tier", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_balance_init (EpsimoBalance *self)
{
  self->threads_remaining = -1;
}

/* Parsed values of one reply, applied only once all of it is valid. */
typedef struct
{
  gint64      counter;
  gint64      max;
  gint64      remaining;
  const char *tier;
  const char *email;
  const char *user_id;
} Reply;

static gboolean
parse_reply (JsonObject  *object,
             Reply       *reply,
             GError     **error)
{
  if (!epsimo_json_require_int (object, "thread_counter", _("balance"), &reply->counter, error)
      || !epsimo_json_require_int (object, "thread_max", _("balance"), &reply->max, error))
    return FALSE;

  reply->counter = MAX (reply->counter, 0);
  reply->max = MAX (reply->max, 0);

  if (!epsimo_json_get_int (object, "threads_remaining", &reply->remaining)
      || reply->remaining < 0)
    reply->remaining = -1;

  reply->tier = epsimo_json_get_string (object, "subscription_tier");
  reply->email = epsimo_json_get_string (object, "email");
  reply->user_id = epsimo_json_get_string (object, "user_id");

  return TRUE;
}

/**
 * epsimo_balance_new_from_json:
 * @object: a reply of GET /credits/balance or GET /auth/thread-info
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the balance, or %NULL on error
 */
EpsimoBalance *
epsimo_balance_new_from_json (JsonObject  *object,
                              GError     **error)
{
  EpsimoBalance *self;
  Reply reply;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_reply (object, &reply, error))
    return NULL;

  self = g_object_new (EPSIMO_TYPE_BALANCE, NULL);
  self->thread_counter = reply.counter;
  self->thread_max = reply.max;
  self->threads_remaining = reply.remaining;
  self->subscription_tier = g_strdup (reply.tier);
  self->email = g_strdup (reply.email);
  self->user_id = g_strdup (reply.user_id);

  return self;
}

/**
 * epsimo_balance_update_from_json:
 * @self: a balance
 * @object: a reply of GET /credits/balance or GET /auth/thread-info
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: %TRUE on success; on error @self is unchanged
 */
gboolean
epsimo_balance_update_from_json (EpsimoBalance  *self,
                                 JsonObject     *object,
                                 GError        **error)
{
  GObject *gobject = G_OBJECT (self);
  gint64 old_remaining;
  Reply reply;

  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  if (!parse_reply (object, &reply, error))
    return FALSE;

  g_object_freeze_notify (gobject);

  old_remaining = epsimo_balance_get_threads_remaining (self);

  if (self->thread_counter != reply.counter)
    {
      self->thread_counter = reply.counter;
      g_object_notify_by_pspec (gobject, properties[PROP_THREAD_COUNTER]);
    }
  if (self->thread_max != reply.max)
    {
      self->thread_max = reply.max;
      g_object_notify_by_pspec (gobject, properties[PROP_THREAD_MAX]);
    }
  /* thread-info has no remaining count: compute it from the new numbers. */
  self->threads_remaining = reply.remaining;
  if (old_remaining != epsimo_balance_get_threads_remaining (self))
    g_object_notify_by_pspec (gobject, properties[PROP_THREADS_REMAINING]);

  if (reply.tier != NULL && epsimo_json_replace_string (&self->subscription_tier, reply.tier))
    g_object_notify_by_pspec (gobject, properties[PROP_SUBSCRIPTION_TIER]);
  if (reply.email != NULL && epsimo_json_replace_string (&self->email, reply.email))
    g_object_notify_by_pspec (gobject, properties[PROP_EMAIL]);
  if (reply.user_id != NULL && epsimo_json_replace_string (&self->user_id, reply.user_id))
    g_object_notify_by_pspec (gobject, properties[PROP_USER_ID]);

  g_object_thaw_notify (gobject);

  return TRUE;
}

gint64
epsimo_balance_get_thread_counter (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), 0);

  return self->thread_counter;
}

gint64
epsimo_balance_get_thread_max (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), 0);

  return self->thread_max;
}

gint64
epsimo_balance_get_threads_remaining (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), 0);

  if (self->threads_remaining >= 0)
    return self->threads_remaining;

  return MAX (self->thread_max - self->thread_counter, 0);
}

const char *
epsimo_balance_get_subscription_tier (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), NULL);

  return self->subscription_tier;
}

const char *
epsimo_balance_get_email (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), NULL);

  return self->email;
}

const char *
epsimo_balance_get_user_id (EpsimoBalance *self)
{
  g_return_val_if_fail (EPSIMO_IS_BALANCE (self), NULL);

  return self->user_id;
}
