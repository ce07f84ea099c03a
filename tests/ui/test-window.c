/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "chat/epsimo-composer.h"
#include "epsimo-ui-test.h"
#include "epsimo-window.h"
#include "preferences/epsimo-preferences-window.h"
#include "widgets/epsimo-tooltip.h"

static EpsimoApplication *app;

static GtkWidget *
main_window (void)
{
  GtkWidget *window = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW);

  g_assert_nonnull (window);
  return window;
}

static gboolean
toplevel_shown (gpointer type)
{
  return epsimo_ui_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static GtkWidget *
wait_for_toplevel (GType type)
{
  g_assert_true (epsimo_ui_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (type), 5000));
  return epsimo_ui_test_find_toplevel (type);
}

static void
close_toplevel (GType type)
{
  GtkWidget *window = epsimo_ui_test_find_toplevel (type);

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  epsimo_ui_test_spin (20);
}

static gboolean
laid_out (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0;
}

static gboolean
switcher_bar_revealed (gpointer bar)
{
  return adw_view_switcher_bar_get_reveal (bar);
}

static guint
count_switcher_buttons (GtkWidget *widget)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name ("AdwViewSwitcherButton"));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_switcher_buttons (child);
  return n;
}

static void
test_shell (void)
{
  GtkWidget *window = main_window ();
  GtkWidget *leaflet = epsimo_ui_test_find_widget (window, ADW_TYPE_LEAFLET, NULL);
  GtkWidget *menu_button = epsimo_ui_test_find_widget (window, GTK_TYPE_MENU_BUTTON, NULL);
  GtkWidget *stack;
  GtkWidget *switcher_bar;
  GMenuModel *menu;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Epsimo");
  g_assert_nonnull (leaflet);
  g_assert_nonnull (epsimo_ui_test_find_widget (window, ADW_TYPE_TOAST_OVERLAY, NULL));
  g_assert_nonnull (epsimo_ui_test_find_widget (window, ADW_TYPE_HEADER_BAR, NULL));
  g_assert_nonnull (epsimo_ui_test_find_widget (window, ADW_TYPE_STATUS_PAGE,
                                                "Welcome to Epsimo"));

  /* The primary menu offers Preferences, Keyboard Shortcuts and About, all working. */
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section && j < g_menu_model_get_n_items (section); j++)
        {
          char *action = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_ptr_array_add (actions, action);
        }
    }
  g_assert_cmpuint (actions->len, ==, 3);
  g_assert_cmpstr (actions->pdata[0], ==, "app.preferences");
  g_assert_cmpstr (actions->pdata[1], ==, "win.show-help-overlay");
  g_assert_cmpstr (actions->pdata[2], ==, "app.about");

  /* Signed out, the window shows the sign-in page. */
  stack = GTK_WIDGET (gtk_widget_get_template_child (window, EPSIMO_TYPE_WINDOW, "main_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "sign-in");

  /* The shell folds into one pane on a narrow screen (shown here without an account). */
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "main");
  switcher_bar = GTK_WIDGET (gtk_widget_get_template_child (window, EPSIMO_TYPE_WINDOW,
                                                            "switcher_bar"));
  g_assert_null (adw_view_switcher_bar_get_stack (ADW_VIEW_SWITCHER_BAR (switcher_bar)));
  /* Not before the window manager's first configure, which would undo it (a busy machine
   * can still be on the way to it here). */
  g_assert_true (epsimo_ui_test_wait_for (laid_out, window, 5000));
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  g_assert_true (epsimo_ui_test_wait_for (epsimo_ui_test_leaflet_folded, leaflet, 5000));

  /* There the sections are switched from the bottom bar, which gets its buttons then. */
  adw_leaflet_set_visible_child (ADW_LEAFLET (leaflet),
                                 GTK_WIDGET (gtk_widget_get_template_child (
                                   window, EPSIMO_TYPE_WINDOW, "content")));
  g_assert_true (epsimo_ui_test_wait_for (switcher_bar_revealed, switcher_bar, 5000));
  g_assert_nonnull (adw_view_switcher_bar_get_stack (ADW_VIEW_SWITCHER_BAR (switcher_bar)));
  g_assert_cmpuint (count_switcher_buttons (switcher_bar), ==, 5);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_assert_true (epsimo_ui_test_wait_for (epsimo_ui_test_leaflet_unfolded, leaflet, 5000));
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "sign-in");
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_nonnull (accels);
  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
test_shortcuts (void)
{
  g_autoptr(GBytes) overlay = NULL;
  g_auto(GStrv) described = NULL;
  const char *overlay_text;
  GtkWidget *shortcuts;

  assert_accel ("app.quit", "<Control>q");
  assert_accel ("window.close", "<Control>w");
  assert_accel ("app.preferences", "<Control>comma");
  assert_accel ("win.show-help-overlay", "<Control>question");

  /* Every action with a shortcut is listed in the shortcuts window. */
  overlay = g_resources_lookup_data ("/com/epsimoagents/Desktop/epsimo-shortcuts-window.ui",
                                     0, NULL);
  g_assert_nonnull (overlay);
  overlay_text = g_bytes_get_data (overlay, NULL);
  described = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; described[i] != NULL; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *needle = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_action_parse_detailed_name (described[i], &action, &target, NULL));
      needle = g_strdup_printf (">%s<", action);
      if (strstr (overlay_text, needle) == NULL)
        g_error ("%s has a shortcut but is missing from the shortcuts window", action);
    }

  /* The shortcuts window is built on first use only, and then opens as it always has: over
   * the main window, listing the shortcuts, and again after it was closed. */
  g_assert_null (gtk_application_window_get_help_overlay (
    GTK_APPLICATION_WINDOW (main_window ())));
  gtk_widget_activate_action (main_window (), "win.show-help-overlay", NULL);
  shortcuts = wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (shortcuts))
                 == GTK_WINDOW (main_window ()));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (shortcuts)));
  g_assert_nonnull (epsimo_ui_test_find_widget (shortcuts, GTK_TYPE_SHORTCUTS_SHORTCUT, NULL));
  gtk_window_close (GTK_WINDOW (shortcuts));
  epsimo_ui_test_spin (20);
  g_assert_false (gtk_widget_get_visible (shortcuts));
  gtk_widget_activate_action (main_window (), "win.show-help-overlay", NULL);
  g_assert_true (wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) == shortcuts);
  close_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
}

static void
test_preferences_refuses_bad_url (void)
{
  GSettings *settings = epsimo_application_get_settings (app);
  GtkWidget *preferences, *row, *error_label;
  g_autofree char *before = g_settings_get_string (settings, "api-url");
  g_autofree char *after = NULL;
  g_autofree char *applied = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = wait_for_toplevel (EPSIMO_TYPE_PREFERENCES_WINDOW);
  row = epsimo_ui_test_find_widget (preferences, ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, before);

  /* Plain http to another machine is refused in place, with the reason. */
  gtk_editable_set_text (GTK_EDITABLE (row), "http://example.com");
  g_signal_emit_by_name (row, "apply");
  error_label = (GtkWidget *) gtk_widget_get_template_child (preferences,
                                                            EPSIMO_TYPE_PREFERENCES_WINDOW,
                                                            "api_url_error_label");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  after = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (after, ==, before);

  /* A good address is taken. */
  gtk_editable_set_text (GTK_EDITABLE (row), "https://api.example.org");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_signal_emit_by_name (row, "apply");
  applied = g_settings_get_string (settings, "api-url");
  g_assert_cmpstr (applied, ==, "https://api.example.org");
  g_settings_reset (settings, "api-url");

  close_toplevel (EPSIMO_TYPE_PREFERENCES_WINDOW);
}

static void
test_color_scheme_applies (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GSettings *settings = epsimo_application_get_settings (app);
  GtkWidget *preferences, *combo;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = wait_for_toplevel (EPSIMO_TYPE_PREFERENCES_WINDOW);
  combo = epsimo_ui_test_find_widget (preferences, ADW_TYPE_COMBO_ROW, NULL);
  g_assert_nonnull (combo);

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  close_toplevel (EPSIMO_TYPE_PREFERENCES_WINDOW);
}

static gboolean
window_is_maximized (gpointer window)
{
  return gtk_window_is_maximized (window);
}

static gboolean
window_is_unmaximized (gpointer window)
{
  return !gtk_window_is_maximized (window);
}

static void
test_window_size_round_trips (void)
{
  GSettings *settings = epsimo_application_get_settings (app);
  GtkWidget *window = main_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  epsimo_ui_test_spin (100);
  gtk_window_close (GTK_WINDOW (window));
  epsimo_ui_test_spin (50);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window comes back at the saved size. */
  g_application_activate (G_APPLICATION (app));
  window = wait_for_toplevel (EPSIMO_TYPE_WINDOW);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* And the maximized state is kept too (the test session runs a window manager to grant it). */
  gtk_window_maximize (GTK_WINDOW (window));
  g_assert_true (epsimo_ui_test_wait_for (window_is_maximized, window, 5000));
  gtk_window_close (GTK_WINDOW (window));
  epsimo_ui_test_spin (50);
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  g_application_activate (G_APPLICATION (app));
  window = wait_for_toplevel (EPSIMO_TYPE_WINDOW);
  g_assert_true (epsimo_ui_test_wait_for (window_is_maximized, window, 5000));
  gtk_window_unmaximize (GTK_WINDOW (window));
  g_assert_true (epsimo_ui_test_wait_for (window_is_unmaximized, window, 5000));
  gtk_window_close (GTK_WINDOW (window));
  epsimo_ui_test_spin (50);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_application_activate (G_APPLICATION (app));
  wait_for_toplevel (EPSIMO_TYPE_WINDOW);
}

/* The window's focus is @widget or inside it (an entry passes it to its text). */
static gboolean
holds_focus (gpointer widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The window's buttons carry their tooltips, given after the templates by
 * epsimo_tooltip_set_text(), which hides a widget for the call (GTK 4.8 asks the X server
 * for the pointer when a visible one gets a tooltip): what it hides comes back as it was, a
 * page a stack shows still shown, and the window's focus and default widgets are not hidden
 * at all. */
static void
test_tooltips (void)
{
  GtkWidget *window = main_window ();
  GtkWidget *composer = epsimo_ui_test_find_widget (window, EPSIMO_TYPE_COMPOSER, NULL);
  GtkWidget *stack, *first, *second, *scratch, *box, *entry, *button;

  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (
                     window, EPSIMO_TYPE_WINDOW, "primary_menu_button"))), ==, "Main Menu");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (
                     window, EPSIMO_TYPE_WINDOW, "database_toggle"))), ==,
                   "Thread Database (Ctrl+D)");
  g_assert_nonnull (composer);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (
                     composer, EPSIMO_TYPE_COMPOSER, "send_button"))), ==, "Send (Enter)");

  stack = g_object_ref_sink (gtk_stack_new ());
  first = gtk_button_new ();
  second = gtk_button_new ();
  gtk_stack_add_child (GTK_STACK (stack), first);
  gtk_stack_add_child (GTK_STACK (stack), second);
  gtk_stack_set_visible_child (GTK_STACK (stack), first);
  epsimo_tooltip_set_text (first, "First");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (first), ==, "First");
  g_assert_true (gtk_widget_get_visible (first));
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (stack)) == first);
  epsimo_tooltip_set_text (second, "Second");
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (stack)) == first);
  g_object_unref (stack);

  scratch = gtk_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  entry = gtk_entry_new ();
  button = gtk_button_new_with_label ("Default");
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), button);
  gtk_window_set_child (GTK_WINDOW (scratch), box);
  gtk_window_set_default_widget (GTK_WINDOW (scratch), button);
  gtk_window_present (GTK_WINDOW (scratch));
  gtk_widget_grab_focus (entry);
  g_assert_true (epsimo_ui_test_wait_for (holds_focus, entry, 5000));
  epsimo_tooltip_set_text (entry, "Entry");
  epsimo_tooltip_set_text (button, "Button");
  epsimo_ui_test_spin (50);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (entry), ==, "Entry");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Button");
  g_assert_true (holds_focus (entry));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (scratch)) == button);
  gtk_window_destroy (GTK_WINDOW (scratch));
  epsimo_ui_test_spin (20);
}

static void
test_about (void)
{
  GtkWidget *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_BUGREPORTS);
  close_toplevel (ADW_TYPE_ABOUT_WINDOW);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  epsimo_ui_test_init (&argc, &argv);
  /* No animations here: these tests check what is shown, not how it moves, and libadwaita
   * 1.2 loses the render nodes of a folded leaflet's animated page change, which LSan
   * reports under --sanitize (test-shell turns them off around its fold for the same
   * reason). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = epsimo_ui_test_start_app ();

  g_test_add_func ("/window/shell", test_shell);
  g_test_add_func ("/window/shortcuts", test_shortcuts);
  g_test_add_func ("/window/preferences-refuse-bad-url", test_preferences_refuses_bad_url);
  g_test_add_func ("/window/color-scheme", test_color_scheme_applies);
  g_test_add_func ("/window/about", test_about);
  g_test_add_func ("/window/tooltips", test_tooltips);
  g_test_add_func ("/window/size-round-trips", test_window_size_round_trips);

  status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
