/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-backoff"

#include "config.h"

#include <libsoup/soup.h>

#include "epsimo-backoff.h"

gint64
epsimo_backoff_ceiling (const EpsimoBackoffPolicy *policy,
                        guint                      retry)
{
  gint64 ceiling;

  g_return_val_if_fail (policy != NULL, 0);

  if (policy->base_us <= 0 || policy->cap_us <= 0)
    return 0;

  ceiling = policy->base_us;
  /* Doubling stops at the cap, so the shift can never overflow. */
  for (guint i = 0; i < retry && ceiling < policy->cap_us; i++)
    ceiling *= 2;

  return MIN (ceiling, policy->cap_us);
}

gint64
epsimo_backoff_jitter (const EpsimoBackoffPolicy *policy,
                       guint                      retry,
                       GRand                     *rand)
{
  gint64 ceiling = epsimo_backoff_ceiling (policy, retry);
  double fraction;
  gint64 delay;

  if (ceiling <= 0)
    return 0;

  fraction = rand != NULL ? g_rand_double (rand) : g_random_double ();
  delay = (gint64) (fraction * (double) (ceiling + 1));

  return CLAMP (delay, 0, ceiling);
}

gboolean
epsimo_backoff_next_delay (const EpsimoBackoffPolicy *policy,
                           guint                      tries_done,
                           gint64                     elapsed_us,
                           gint64                     hint_us,
                           GRand                     *rand,
                           gint64                    *delay_us)
{
  gint64 jitter_us;
  gint64 left;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (delay_us != NULL, FALSE);

  *delay_us = 0;

  if (tries_done == 0 || tries_done >= policy->max_tries)
    return FALSE;

  left = policy->budget_us - MAX (elapsed_us, 0);
  if (left <= 0)
    return FALSE;

  if (hint_us >= 0)
    {
      if (hint_us > left)
        return FALSE;
      *delay_us = hint_us;
      return TRUE;
    }

  jitter_us = epsimo_backoff_jitter (policy, tries_done - 1, rand);
  *delay_us = MIN (jitter_us, left);
  return TRUE;
}

static gboolean
parse_seconds (const char *value,
               gint64     *seconds)
{
  g_autofree char *stripped = NULL;
  guint64 parsed;

  if (value == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (value));
  /* Plain decimal digits only: no sign, no exponent, no hex. */
  if (!g_ascii_string_to_unsigned (stripped, 10, 0, G_MAXINT64 / G_USEC_PER_SEC,
                                   &parsed, NULL))
    return FALSE;

  *seconds = (gint64) parsed;
  return TRUE;
}

gint64
epsimo_backoff_parse_retry_after (const char *value,
                                  gint64      now_unix_us)
{
  g_autoptr(GDateTime) date = NULL;
  gint64 seconds;
  gint64 when_us;

  if (value == NULL || *value == '\0')
    return -1;

  if (parse_seconds (value, &seconds))
    return seconds * G_USEC_PER_SEC;

  /* Every date format RFC 9110 allows (IMF-fixdate, RFC 850, asctime). */
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;

  when_us = g_date_time_to_unix (date) * G_USEC_PER_SEC;
  return MAX (when_us - now_unix_us, 0);
}

gint64
epsimo_backoff_parse_rate_limit_reset (const char *remaining,
                                       const char *reset,
                                       gint64      now_unix_us)
{
  gint64 remaining_value;
  gint64 reset_s;
  gint64 wait_us;

  if (!parse_seconds (remaining, &remaining_value) || remaining_value != 0)
    return -1;
  if (!parse_seconds (reset, &reset_s))
    return -1;

  wait_us = reset_s * G_USEC_PER_SEC - now_unix_us;
  /* A reset in the past (or a skewed clock) gives no useful hint: the
   * caller falls back to its own backoff instead of hammering the server. */
  return wait_us > 0 ? wait_us : -1;
}
