{
    "name": "Book Me",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Appointment booking for CRM users: public booking pages, approvals, "
    "automations and secret codes",
    "author": "Book Me",
    "website": "https://github.com/bookme/crm_bookme",
    "license": "LGPL-3",
    "depends": ["crm", "calendar", "website", "resource", "mail"],
    "external_dependencies": {"python": ["icalendar"]},
    "data": [
        "security/bookme_security.xml",
        "security/ir.model.access.csv",
        "data/mail_templates.xml",
        "views/bookme_event_type_views.xml",
        "views/bookme_booking_views.xml",
        "views/bookme_availability_views.xml",
        "views/bookme_wizard_views.xml",
        "views/mail_compose_message_views.xml",
        "views/calendar_event_views.xml",
        "views/res_users_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_config_settings_zoom_views.xml",
        "views/bookme_templates.xml",
        "views/snippets.xml",
        "views/bookme_menus.xml",
    ],
    "demo": ["data/bookme_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "crm_bookme/static/src/interactions/**/*",
            "crm_bookme/static/src/scss/**/*",
            "crm_bookme/static/src/snippets/**/*",
        ],
        "website.website_builder_assets": [
            "crm_bookme/static/src/website_builder/**/*",
        ],
        "web.assets_backend": [
            "crm_bookme/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "crm_bookme/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
