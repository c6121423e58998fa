"""The practice shop's credentials. They open nothing but the local sandbox, so they are
fixed and public; a real account's secrets never live in code."""

APIFM_MERCHANT_NO = "practice"
APIFM_MERCHANT_KEY = "practice-merchant-key"
APIFM_SUB_DOMAIN = "practice"
RUANMAO_APP_ID = "rm_practice_app"
RUANMAO_APP_SECRET = "practice-app-secret-0000"
