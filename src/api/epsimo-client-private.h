/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-client.h"

G_BEGIN_DECLS

/* Internal to libepsimo-api and its tests. */

/* The EPSIMO_API_ERROR for a non-2xx answer: the code by @status, the
 * message from the body's `detail` (else `error`, else a sentence for the
 * status), and the details (status, detail, field) attached. @body may be
 * NULL, empty or not JSON. */
GError   *epsimo_client_error_from_response          (guint         status,
                                                      GBytes       *body);

/* A readable EPSIMO_API_ERROR_NETWORK (or _PROTOCOL) for a transport failure
 * talking to @host; G_IO_ERROR_CANCELLED is copied unchanged. */
GError   *epsimo_client_error_from_transport         (const GError *error,
                                                      const char   *host);

/* Whether a transport failure may be retried: failures before anything was
 * sent (unknown host, refused, unreachable) always; a connection dropped
 * before the answer only when @idempotent. */
gboolean  epsimo_client_transport_error_is_retryable (const GError *error,
                                                      gboolean      idempotent);

/* The EPSIMO_API_ERROR_PROTOCOL for an answer (of @status) larger than the client's
 * max-response-size, which was not read. */
GError   *epsimo_client_error_too_large              (EpsimoClient *self,
                                                      guint         status);

/* Forgets every dialect learned in this process (tests). */
void      epsimo_client_forget_learned_dialects      (void);

G_END_DECLS
