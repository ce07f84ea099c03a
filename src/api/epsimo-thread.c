/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-thread"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"
#include "epsimo-thread.h"

struct _EpsimoThread
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *assistant_id;
  GDateTime  *created_at;
  GDateTime  *updated_at;
  JsonObject *metadata;
};

G_DEFINE_FINAL_TYPE (EpsimoThread, epsimo_thread, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ASSISTANT_ID,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_METADATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_thread_finalize (GObject *object)
{
  EpsimoThread *self = (EpsimoThread *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->assistant_id, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->metadata, json_object_unref);

  G_OBJECT_CLASS (epsimo_thread_parent_class)->finalize (object);
}

static void
epsimo_thread_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EpsimoThread *self = EPSIMO_THREAD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ASSISTANT_ID:
      g_value_set_string (value, self->assistant_id);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, epsimo_thread_get_updated_at (self));
      break;

    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_thread_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EpsimoThread *self = EPSIMO_THREAD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      epsimo_thread_set_name (self, g_value_get_string (value));
      break;

    case PROP_ASSISTANT_ID:
      epsimo_thread_set_assistant_id (self, g_value_get_string (value));
      break;

    case PROP_UPDATED_AT:
      epsimo_thread_set_updated_at (self, g_value_get_boxed (value));
      break;

    case PROP_METADATA:
      epsimo_thread_set_metadata (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_thread_class_init (EpsimoThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_thread_finalize;
  object_class->get_property = epsimo_thread_get_property;
  object_class->set_property = epsimo_thread_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ASSISTANT_ID] =
    g_param_spec_string ("assistant-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_METADATA] =
    g_param_spec_boxed ("metadata", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_thread_init (EpsimoThread *self)
{
}

/**
 * epsimo_thread_new:
 * @name: (nullable): the thread's name
 * @assistant_id: (nullable): the assistant that answers in it
 *
 * Returns: (transfer full): a thread that is not yet on the server
 */
EpsimoThread *
epsimo_thread_new (const char *name,
                   const char *assistant_id)
{
  EpsimoThread *self = g_object_new (EPSIMO_TYPE_THREAD, NULL);

  self->name = g_strdup (name);
  self->assistant_id = g_strdup (assistant_id);

  return self;
}

/**
 * epsimo_thread_new_from_json:
 * @object: a thread from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the thread, or %NULL on error
 */
EpsimoThread *
epsimo_thread_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(EpsimoThread) self = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = epsimo_json_require_id (object, "thread_id", _("thread"), error);
  if (id == NULL)
    return NULL;

  self = g_object_new (EPSIMO_TYPE_THREAD, NULL);
  self->id = g_steal_pointer (&id);
  self->name = g_strdup (epsimo_json_get_string (object, "name"));
  self->assistant_id = g_strdup (epsimo_json_get_string (object, "assistant_id"));
  self->created_at = epsimo_json_get_date_time (object, "created_at");
  self->updated_at = epsimo_json_get_date_time (object, "updated_at");
  if (self->updated_at == NULL)
    self->updated_at = epsimo_json_get_date_time (object, "last_activity");
  self->metadata = epsimo_json_object_copy (epsimo_json_get_object (object, "metadata"));

  return g_steal_pointer (&self);
}

/**
 * epsimo_thread_update_from_json:
 * @self: a thread
 * @object: the same thread from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: %TRUE on success
 */
gboolean
epsimo_thread_update_from_json (EpsimoThread  *self,
                                JsonObject    *object,
                                GError       **error)
{
  g_autoptr(EpsimoThread) other = NULL;
  GDateTime *old_updated_at;

  g_return_val_if_fail (EPSIMO_IS_THREAD (self), FALSE);

  other = epsimo_thread_new_from_json (object, error);
  if (other == NULL)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  old_updated_at = epsimo_thread_get_updated_at (self);
  if (old_updated_at != NULL)
    g_date_time_ref (old_updated_at);

  if (epsimo_json_replace_string (&self->id, other->id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  epsimo_thread_set_name (self, other->name);
  epsimo_thread_set_assistant_id (self, other->assistant_id);
  if (epsimo_json_replace_date_time (&self->created_at, other->created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
  /* A reply without an activity time must not erase the one recorded locally. */
  if (other->updated_at != NULL)
    epsimo_json_replace_date_time (&self->updated_at, other->updated_at);
  epsimo_thread_set_metadata (self, other->metadata);

  if (epsimo_json_replace_date_time (&old_updated_at, epsimo_thread_get_updated_at (self)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
  g_clear_pointer (&old_updated_at, g_date_time_unref);

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * epsimo_thread_to_json:
 * @self: a thread
 * @dialect: the server's dialect
 *
 * Returns: (transfer full): the body of POST /threads/
 */
JsonNode *
epsimo_thread_to_json (EpsimoThread  *self,
                       EpsimoDialect  dialect)
{
  g_autoptr(JsonObject) object = NULL;
  JsonObject *metadata;

  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name ? self->name : "");
  if (self->assistant_id != NULL)
    json_object_set_string_member (object, "assistant_id", self->assistant_id);

  /* The server lists only threads marked type "thread". */
  metadata = self->metadata ? epsimo_json_object_copy (self->metadata) : json_object_new ();
  json_object_set_string_member (metadata, "type", "thread");
  if (dialect != EPSIMO_DIALECT_LIVE)
    {
      JsonObject *configurable = json_object_new ();

      if (!json_object_has_member (metadata, "configurable"))
        json_object_set_object_member (metadata, "configurable", json_object_new ());
      json_object_set_string_member (configurable, "type", "agent");
      json_object_set_object_member (object, "configurable", configurable);
    }
  json_object_set_object_member (object, "metadata", metadata);

  return json_node_init_object (json_node_alloc (), object);
}

const char *
epsimo_thread_get_id (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->id;
}

const char *
epsimo_thread_get_name (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->name;
}

void
epsimo_thread_set_name (EpsimoThread *self,
                        const char   *name)
{
  g_return_if_fail (EPSIMO_IS_THREAD (self));

  if (epsimo_json_replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
epsimo_thread_get_assistant_id (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->assistant_id;
}

void
epsimo_thread_set_assistant_id (EpsimoThread *self,
                                const char   *assistant_id)
{
  g_return_if_fail (EPSIMO_IS_THREAD (self));

  if (epsimo_json_replace_string (&self->assistant_id, assistant_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSISTANT_ID]);
}

GDateTime *
epsimo_thread_get_created_at (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->created_at;
}

GDateTime *
epsimo_thread_get_updated_at (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->updated_at ? self->updated_at : self->created_at;
}

void
epsimo_thread_set_updated_at (EpsimoThread *self,
                              GDateTime    *updated_at)
{
  GDateTime *before;

  g_return_if_fail (EPSIMO_IS_THREAD (self));

  before = epsimo_thread_get_updated_at (self);
  if (before != NULL)
    g_date_time_ref (before);

  epsimo_json_replace_date_time (&self->updated_at, updated_at);

  if (epsimo_json_replace_date_time (&before, epsimo_thread_get_updated_at (self)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
  g_clear_pointer (&before, g_date_time_unref);
}

JsonObject *
epsimo_thread_get_metadata (EpsimoThread *self)
{
  g_return_val_if_fail (EPSIMO_IS_THREAD (self), NULL);

  return self->metadata;
}

void
epsimo_thread_set_metadata (EpsimoThread *self,
                            JsonObject   *metadata)
{
  g_return_if_fail (EPSIMO_IS_THREAD (self));

  if (epsimo_json_replace_object (&self->metadata, metadata))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}
