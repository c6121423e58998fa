"""ShopDesk (商家工作台): a desktop back-office for WeChat mini-program shops."""

__version__ = "0.1.0"
