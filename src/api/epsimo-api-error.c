/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-api-error"

#include "config.h"

#include "epsimo-api-error.h"

typedef struct
{
  guint http_status;
  char *detail;
  char *field;
} EpsimoApiErrorPrivate;

static void
epsimo_api_error_private_init (EpsimoApiErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->detail = NULL;
  priv->field = NULL;
}

static void
epsimo_api_error_private_copy (const EpsimoApiErrorPrivate *src,
                               EpsimoApiErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->detail = g_strdup (src->detail);
  dest->field = g_strdup (src->field);
}

static void
epsimo_api_error_private_clear (EpsimoApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (EpsimoApiError, epsimo_api_error)

static EpsimoApiErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != EPSIMO_API_ERROR)
    return NULL;
  return epsimo_api_error_get_private (error);
}

void
epsimo_api_error_set_details (GError     *error,
                              guint       http_status,
                              const char *detail,
                              const char *field)
{
  EpsimoApiErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  priv->http_status = http_status;
  g_free (priv->detail);
  priv->detail = g_strdup (detail);
  g_free (priv->field);
  priv->field = g_strdup (field);
}

guint
epsimo_api_error_get_status (const GError *error)
{
  EpsimoApiErrorPrivate *priv = get_private (error);
  return priv ? priv->http_status : 0;
}

const char *
epsimo_api_error_get_detail (const GError *error)
{
  EpsimoApiErrorPrivate *priv = get_private (error);
  return priv ? priv->detail : NULL;
}

const char *
epsimo_api_error_get_field (const GError *error)
{
  EpsimoApiErrorPrivate *priv = get_private (error);
  return priv ? priv->field : NULL;
}
