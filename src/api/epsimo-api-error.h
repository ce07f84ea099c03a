/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EPSIMO_API_ERROR (epsimo_api_error_quark ())

/**
 * EpsimoApiError:
 *
 * Errors from talking to an Epsimo server. The GError message is always one
 * a user can read: it carries the server's `detail` where there is one.
 */
typedef enum
{
  EPSIMO_API_ERROR_UNAUTHORIZED,   /* 401: wrong credentials or a token that could not be renewed */
  EPSIMO_API_ERROR_FORBIDDEN,      /* 403 */
  EPSIMO_API_ERROR_NOT_FOUND,      /* 404 */
  EPSIMO_API_ERROR_CONFLICT,       /* 409 */
  EPSIMO_API_ERROR_VALIDATION,     /* 400, 422: see epsimo_api_error_get_field() */
  EPSIMO_API_ERROR_RATE_LIMITED,   /* 429 after the retries ran out */
  EPSIMO_API_ERROR_SERVER,         /* 5xx after the retries ran out */
  EPSIMO_API_ERROR_NETWORK,        /* unreachable, DNS, TLS, timeout */
  EPSIMO_API_ERROR_PROTOCOL,       /* a reply that is not what the API promises */
  EPSIMO_API_ERROR_INVALID_URL,    /* a base URL that is refused */
} EpsimoApiError;

GQuark epsimo_api_error_quark (void);

/* The extra facts an EPSIMO_API_ERROR carries (an extended GError domain).
 * Set them right after g_set_error(); read them from any copy of the error. */
void        epsimo_api_error_set_details (GError     *error,
                                          guint       http_status,
                                          const char *detail,
                                          const char *field);
/* The HTTP status that caused the error, or 0 (network errors). */
guint       epsimo_api_error_get_status  (const GError *error);
/* The server's `detail`, or NULL. */
const char *epsimo_api_error_get_detail  (const GError *error);
/* The request field the server complained about (422), or NULL. */
const char *epsimo_api_error_get_field   (const GError *error);

G_END_DECLS
