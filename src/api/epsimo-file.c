/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-file"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-api-error.h"
#include "epsimo-file.h"
#include "epsimo-json.h"

struct _EpsimoFile
{
  GObject    parent_instance;

  char      *id;
  char      *filename;
  guint64    size;
  char      *mime_type;
  GDateTime *uploaded_at;
  char      *purpose;
};

G_DEFINE_FINAL_TYPE (EpsimoFile, epsimo_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FILENAME,
  PROP_SIZE,
  PROP_MIME_TYPE,
  PROP_UPLOADED_AT,
  PROP_PURPOSE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
epsimo_file_finalize (GObject *object)
{
  EpsimoFile *self = (EpsimoFile *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->uploaded_at, g_date_time_unref);
  g_clear_pointer (&self->purpose, g_free);

  G_OBJECT_CLASS (epsimo_file_parent_class)->finalize (object);
}

static void
epsimo_file_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EpsimoFile *self = EPSIMO_FILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;

    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;

    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;

    case PROP_UPLOADED_AT:
      g_value_set_boxed (value, self->uploaded_at);
      break;

    case PROP_PURPOSE:
      g_value_set_string (value, self->purpose);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_file_class_init (EpsimoFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_file_finalize;
  object_class->get_property = epsimo_file_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_UPLOADED_AT] =
    g_param_spec_boxed ("uploaded-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PURPOSE] =
    g_param_spec_string ("purpose", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
epsimo_file_init (EpsimoFile *self)
{
}

/* The server's name is shown, never opened: keep it printable so that it
 * cannot break a label or fake another line in a list. */
static char *
make_display_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  GString *display = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (display, ' ');
      else
        g_string_append_unichar (display, c);
    }

  return g_string_free (display, FALSE);
}

static const char *
get_first_string (JsonObject *object,
                  const char *member,
                  const char *alternative)
{
  const char *value = epsimo_json_get_string (object, member);

  return value != NULL ? value : epsimo_json_get_string (object, alternative);
}

/**
 * epsimo_file_new_from_json:
 * @object: a file from the server
 * @error: return location for an EPSIMO_API_ERROR_PROTOCOL error
 *
 * Returns: (transfer full) (nullable): the file, or %NULL on error
 */
EpsimoFile *
epsimo_file_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(EpsimoFile) self = NULL;
  g_autofree char *id = NULL;
  const char *filename;
  gint64 size;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = epsimo_json_require_id (object, "file_id", _("file"), error);
  if (id == NULL)
    return NULL;

  self = g_object_new (EPSIMO_TYPE_FILE, NULL);
  self->id = g_steal_pointer (&id);

  filename = get_first_string (object, "filename", "name");
  self->filename = make_display_name (filename != NULL && *filename != '\0' ? filename
                                                                            : self->id);

  if ((epsimo_json_get_int (object, "size", &size)
       || epsimo_json_get_int (object, "bytes", &size))
      && size >= 0)
    self->size = (guint64) size;

  self->mime_type = g_strdup (get_first_string (object, "mime_type", "content_type"));
  self->uploaded_at = epsimo_json_get_date_time (object, "uploaded_at");
  if (self->uploaded_at == NULL)
    self->uploaded_at = epsimo_json_get_date_time (object, "created_at");
  self->purpose = g_strdup (epsimo_json_get_string (object, "purpose"));

  return g_steal_pointer (&self);
}

const char *
epsimo_file_get_id (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), NULL);

  return self->id;
}

const char *
epsimo_file_get_filename (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), NULL);

  return self->filename;
}

guint64
epsimo_file_get_size (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), 0);

  return self->size;
}

const char *
epsimo_file_get_mime_type (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), NULL);

  return self->mime_type;
}

GDateTime *
epsimo_file_get_uploaded_at (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), NULL);

  return self->uploaded_at;
}

const char *
epsimo_file_get_purpose (EpsimoFile *self)
{
  g_return_val_if_fail (EPSIMO_IS_FILE (self), NULL);

  return self->purpose;
}
