"""THE route table of the 软猫引擎 open platform: operation name -> path.

The platform does not publish its paths (shared/platform/ruanmao-signing.md), so the
project chose them. The adapter and the practice platform both read this table, so the
two cannot drift. Every call is a signed JSON POST; the comment is the TOC entry
(shared/seeds/000_b9ae888710f4a2e8.txt) each operation stands for.
"""

from __future__ import annotations

from typing import Final

ROUTES: Final[dict[str, str]] = {
    # 接口安全
    "auth.access_token": "/open/auth/access-token",  # 获取AccessToken
    # 商品订单
    "order.list": "/open/order/list",  # 获取全平台的商品订单列表
    "order.detail": "/open/order/detail",  # 订单详情（含日志、包裹与物流轨迹、售后申请）
    "order.receiving": "/open/order/receiving-info",  # 读取订单收件信息(含收件地址、快递信息)
    "order.modify_address": "/open/order/address/modify",  # 修改订单收件地址(无需收件地址ID)
    "order.remark": "/open/order/admin-remark",  # 设置订单的管理员备注
    "order.pay_backend": "/open/order/pay/backend",  # 设置商品订单后台付款
    "order.pay_balance": "/open/order/pay/balance",  # 发起余额支付
    "order.change_price": "/open/order/price/modify",  # 修改订单价格
    "order.ship": "/open/order/ship",  # 订单发货(需录入快递单号)
    "order.ship_no_tracking": "/open/order/ship/no-tracking",  # 订单发货(仅发货,不录入快递单号)
    "order.pickup_offline": "/open/order/pickup/offline",  # 设置订单线下取货(无需发货)
    "order.tracking_add": "/open/order/tracking/add",  # 对已发货的订单补充更多快递单号
    "order.close": "/open/order/close",  # 取消订单（关闭）
    "order.success": "/open/order/success",  # 设置交易成功
    "order.refund": "/open/order/refund",  # 订单退款
    # 退换货
    "refund.list": "/open/refund-apply/list",
    "refund.detail": "/open/refund-apply/detail",  # 获取订单退/换货详情
    "refund.agree": "/open/refund-apply/agree",  # 同意（处理中）
    "refund.refuse": "/open/refund-apply/refuse",
    "refund.complete": "/open/refund-apply/complete",
    # 快递
    "courier.list": "/open/express/companies",  # 获取快递公司列表
    "courier.freight_rules": "/open/express/freight-rules",  # 获取所有快递计费规则
    # 核销券
    "voucher.issue": "/open/voucher/issue",  # 对用户发行/赠予核销券
    "voucher.void": "/open/voucher/void",  # 使核销券过期(作废)
    "voucher.redeem": "/open/voucher/redeem",  # 使核销券已核销
    "voucher.list_by_user": "/open/voucher/list",  # 获取用户的核销券列表
    "voucher.list_by_order": "/open/voucher/list-by-order",  # 根据商品订单号获取用户核销券列表
    # 文案系统
    "cms.about_set": "/open/cms/about-us/set",
    "cms.about_get": "/open/cms/about-us/get",
    "cms.terms_set": "/open/cms/terms/set",
    "cms.terms_get": "/open/cms/terms/get",
    # 用户
    "user.list": "/open/user/list",  # (back-office list; not in the public TOC)
    "user.profile": "/open/user/profile",  # 获取用户资料
    "user.modify": "/open/user/modify",  # 设置用户昵称 … (plus staff fields: remark, status, level)
    "user.level": "/open/user/level",  # 获取用户等级
    "user.stats_batch": "/open/user/statistics/batch",  # 批量获取用户统计数据
    "user.stats_advanced": "/open/user/statistics/advanced",  # 获取用户统计数据(高级+周期版)
    "user.addresses": "/open/user/address/list",  # 获取用户的收件地址列表
    # 用户资产
    "asset.get": "/open/user/assets",  # 获取用户资产(可用余额/冻结余额/积分/代币)
    "asset.balance_log": "/open/user/balance/logs",  # 获取用户余额明细日志
    "asset.points_log": "/open/user/points/logs",  # 获取用户积分明细日志
    "asset.token_log": "/open/user/token/logs",  # 获取用户代币明细日志
    "asset.frozen_log": "/open/user/frozen/logs",  # 获取用户冻结余额明细
    "asset.adjust_balance": "/open/user/balance/adjust",
    "asset.adjust_points": "/open/user/points/adjust",
    "asset.adjust_tokens": "/open/user/token/adjust",
    # 余额提现
    "withdraw.bank_logs": "/open/withdraw/bank/logs",  # 获取提现到银行卡的日志记录
    "withdraw.wechat_logs": "/open/withdraw/wechat/logs",  # 获取提现到微信零钱的日志记录
    "withdraw.detail": "/open/withdraw/detail",
    "withdraw.approve": "/open/withdraw/approve",
    "withdraw.refuse": "/open/withdraw/refuse",
    "withdraw.stats": "/open/withdraw/statistics",  # 获取用户提现统计
    # 万能信息公示系统
    "info.list": "/open/info/list",  # 获取公示信息列表(分页获取)
    "info.detail": "/open/info/detail",  # 获取公示信息详情
}

ACCESS_TOKEN: Final = ROUTES["auth.access_token"]
MAX_PAGE_SIZE: Final = 200


def path(operation: str) -> str:
    """The path of an operation; KeyError names a typo at once rather than a 404 later."""
    return ROUTES[operation]
