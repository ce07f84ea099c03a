/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-database-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "api/epsimo-json.h"

#include "epsimo-database-entry.h"

/* Previews are one line in a narrow pane: the rest would only cost layout time. */
#define PREVIEW_CHARS 160

struct _EpsimoDatabaseEntry
{
  GObject   parent_instance;

  char     *key;
  JsonNode *value;
  JsonNode *latest;
  char     *preview;
  char     *draft;
  char     *error;
  guint     highlight_id;
  gboolean  server_changed;
  gboolean  highlighted;
  gboolean  saving;
};

G_DEFINE_FINAL_TYPE (EpsimoDatabaseEntry, epsimo_database_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_VALUE,
  PROP_PREVIEW,
  PROP_DRAFT,
  PROP_MODIFIED,
  PROP_SERVER_CHANGED,
  PROP_HIGHLIGHTED,
  PROP_SAVING,
  PROP_ERROR,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
make_preview (JsonNode *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return g_strdup ("");

  text = epsimo_json_to_string (value, FALSE);
  if (g_utf8_strlen (text, -1) <= PREVIEW_CHARS)
    return g_steal_pointer (&text);

  {
    g_autofree char *start = g_utf8_substring (text, 0, PREVIEW_CHARS);

    return g_strconcat (start, "…", NULL);
  }
}

static void
epsimo_database_entry_dispose (GObject *object)
{
  EpsimoDatabaseEntry *self = (EpsimoDatabaseEntry *)object;

  g_clear_handle_id (&self->highlight_id, g_source_remove);

  G_OBJECT_CLASS (epsimo_database_entry_parent_class)->dispose (object);
}

static void
epsimo_database_entry_finalize (GObject *object)
{
  EpsimoDatabaseEntry *self = (EpsimoDatabaseEntry *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->latest, json_node_unref);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->draft, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (epsimo_database_entry_parent_class)->finalize (object);
}

static void
epsimo_database_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EpsimoDatabaseEntry *self = EPSIMO_DATABASE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_VALUE:
      g_value_set_boxed (value, self->value);
      break;

    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;

    case PROP_DRAFT:
      g_value_set_string (value, self->draft);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, epsimo_database_entry_get_modified (self));
      break;

    case PROP_SERVER_CHANGED:
      g_value_set_boolean (value, self->server_changed);
      break;

    case PROP_HIGHLIGHTED:
      g_value_set_boolean (value, self->highlighted);
      break;

    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_STATUS:
      g_value_set_string (value, epsimo_database_entry_get_status (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_database_entry_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EpsimoDatabaseEntry *self = EPSIMO_DATABASE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;

    case PROP_VALUE:
      epsimo_database_entry_set_value (self, g_value_get_boxed (value));
      break;

    case PROP_DRAFT:
      epsimo_database_entry_set_draft (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_database_entry_class_init (EpsimoDatabaseEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_database_entry_dispose;
  object_class->finalize = epsimo_database_entry_finalize;
  object_class->get_property = epsimo_database_entry_get_property;
  object_class->set_property = epsimo_database_entry_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL, JSON_TYPE_NODE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIEW] = g_param_spec_string ("preview", NULL, NULL, NULL, ro);
  properties[PROP_DRAFT] =
    g_param_spec_string ("draft", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE, ro);
  properties[PROP_SERVER_CHANGED] =
    g_param_spec_boolean ("server-changed", NULL, NULL, FALSE, ro);
  properties[PROP_HIGHLIGHTED] = g_param_spec_boolean ("highlighted", NULL, NULL, FALSE, ro);
  properties[PROP_SAVING] = g_param_spec_boolean ("saving", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_database_entry_init (EpsimoDatabaseEntry *self)
{
  self->preview = g_strdup ("");
}

/**
 * epsimo_database_entry_new:
 * @value: (nullable): the server's value (copied), or NULL for a key not saved yet
 *
 * Returns: (transfer full): a new entry
 */
EpsimoDatabaseEntry *
epsimo_database_entry_new (const char *key,
                           JsonNode   *value)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_object_new (EPSIMO_TYPE_DATABASE_ENTRY, "key", key, "value", value, NULL);
}

const char *
epsimo_database_entry_get_key (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->key;
}

JsonNode *
epsimo_database_entry_get_value (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->value;
}

const char *
epsimo_database_entry_get_preview (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->preview;
}

/* Everything "status" is made of went through here, so it is notified once per change. */
static void
notify_status (EpsimoDatabaseEntry *self,
               const char          *before)
{
  if (g_strcmp0 (before, epsimo_database_entry_get_status (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_server_changed_flag (EpsimoDatabaseEntry *self,
                         gboolean             server_changed)
{
  if (self->server_changed == server_changed)
    return;

  self->server_changed = server_changed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_CHANGED]);
}

void
epsimo_database_entry_set_value (EpsimoDatabaseEntry *self,
                                 JsonNode            *value)
{
  const char *before;
  g_autofree char *preview = NULL;
  gboolean changed;

  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  before = epsimo_database_entry_get_status (self);
  changed = !epsimo_json_node_equal (self->value, value)
            || (self->value == NULL) != (value == NULL);

  g_object_freeze_notify (G_OBJECT (self));

  if (changed)
    {
      g_clear_pointer (&self->value, json_node_unref);
      self->value = value != NULL ? epsimo_json_node_copy (value) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);

      preview = make_preview (self->value);
      if (g_strcmp0 (preview, self->preview) != 0)
        {
          g_free (self->preview);
          self->preview = g_steal_pointer (&preview);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
        }
    }

  /* The loaded value is the server's newest again. */
  g_clear_pointer (&self->latest, json_node_unref);
  set_server_changed_flag (self, FALSE);
  notify_status (self, before);

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
epsimo_database_entry_get_draft (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->draft;
}

/**
 * epsimo_database_entry_set_draft:
 * @draft: (nullable): the unsaved text, or NULL when there is none
 */
void
epsimo_database_entry_set_draft (EpsimoDatabaseEntry *self,
                                 const char          *draft)
{
  const char *before;
  gboolean was_modified;

  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  if (g_strcmp0 (draft, self->draft) == 0)
    return;

  before = epsimo_database_entry_get_status (self);
  was_modified = self->draft != NULL;

  g_object_freeze_notify (G_OBJECT (self));
  g_free (self->draft);
  self->draft = g_strdup (draft);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT]);
  if (was_modified != (draft != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);

  /* Without a draft there is nothing the newer server value could clobber. */
  if (draft == NULL && self->server_changed)
    {
      if (self->latest != NULL)
        {
          g_autoptr(JsonNode) latest = g_steal_pointer (&self->latest);

          epsimo_database_entry_set_value (self, latest);
        }
      set_server_changed_flag (self, FALSE);
    }
  notify_status (self, before);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
epsimo_database_entry_get_modified (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), FALSE);

  return self->draft != NULL;
}

gboolean
epsimo_database_entry_get_is_new (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), FALSE);

  return self->value == NULL;
}

JsonNode *
epsimo_database_entry_get_latest (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->latest;
}

/**
 * epsimo_database_entry_set_server_changed:
 * @latest: (nullable): the server's value now (copied), or NULL when the key is gone
 */
void
epsimo_database_entry_set_server_changed (EpsimoDatabaseEntry *self,
                                          JsonNode            *latest)
{
  const char *before;

  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  before = epsimo_database_entry_get_status (self);
  g_clear_pointer (&self->latest, json_node_unref);
  self->latest = latest != NULL ? epsimo_json_node_copy (latest) : NULL;

  g_object_freeze_notify (G_OBJECT (self));
  set_server_changed_flag (self, TRUE);
  notify_status (self, before);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
epsimo_database_entry_get_server_changed (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), FALSE);

  return self->server_changed;
}

static gboolean
highlight_done (gpointer user_data)
{
  EpsimoDatabaseEntry *self = user_data;

  self->highlight_id = 0;
  self->highlighted = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHTED]);
  return G_SOURCE_REMOVE;
}

void
epsimo_database_entry_highlight (EpsimoDatabaseEntry *self)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  /* A second change restarts the time the mark stays. */
  g_clear_handle_id (&self->highlight_id, g_source_remove);
  self->highlight_id = g_timeout_add_seconds (EPSIMO_DATABASE_ENTRY_HIGHLIGHT_SECONDS,
                                              highlight_done, self);
  if (!self->highlighted)
    {
      self->highlighted = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHTED]);
    }
}

gboolean
epsimo_database_entry_get_highlighted (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), FALSE);

  return self->highlighted;
}

void
epsimo_database_entry_set_saving (EpsimoDatabaseEntry *self,
                                  gboolean             saving)
{
  const char *before;

  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  saving = !!saving;
  if (self->saving == saving)
    return;

  before = epsimo_database_entry_get_status (self);
  self->saving = saving;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
  notify_status (self, before);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
epsimo_database_entry_get_saving (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), FALSE);

  return self->saving;
}

/**
 * epsimo_database_entry_set_error:
 * @error: (nullable): why the last save failed, for a user; NULL to clear
 */
void
epsimo_database_entry_set_error (EpsimoDatabaseEntry *self,
                                 const char          *error)
{
  const char *before;

  g_return_if_fail (EPSIMO_IS_DATABASE_ENTRY (self));

  if (g_strcmp0 (error, self->error) == 0)
    return;

  before = epsimo_database_entry_get_status (self);
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  notify_status (self, before);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
epsimo_database_entry_get_error (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  return self->error;
}

/**
 * epsimo_database_entry_get_status:
 *
 * Returns: (nullable): a short translated word for what a user must know about the key
 *   (saving, not saved, changed on the server, new, unsaved), or NULL when it is as saved
 */
const char *
epsimo_database_entry_get_status (EpsimoDatabaseEntry *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_ENTRY (self), NULL);

  if (self->saving)
    return _("Saving…");
  if (self->error != NULL)
    return _("Not saved");
  if (self->server_changed)
    return _("Changed on the server");
  if (self->value == NULL)
    return _("New, not saved");
  if (self->draft != NULL)
    return _("Unsaved changes");
  return NULL;
}
