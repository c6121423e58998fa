"""Every status and type the platforms use, as one set of enums.

Values follow API工厂's tables (../shared/platform/platform-api-research.md section 2.7);
the 软猫引擎 dialect uses the same numbers, so neither adapter needs a translation table.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.labels import LabelledEnum


class OrderStatus(LabelledEnum):
    CLOSED = (-1, "已关闭", "Closed")
    UNPAID = (0, "待付款", "Awaiting payment")
    TO_SHIP = (1, "待发货", "To ship")
    SHIPPED = (2, "已发货", "Shipped")
    TO_REVIEW = (3, "待评价", "Awaiting review")
    DONE = (4, "已完成", "Completed")


class OrderRefundState(LabelledEnum):
    """The order-level refund flag used by the admin list filter."""

    NONE = (0, "无售后", "No refund")
    HAS_REFUND = (1, "有售后", "Has refund")
    PROCESSING = (2, "退款中", "Refund in progress")
    REFUNDED = (3, "已退款", "Refunded")


class RefundType(LabelledEnum):
    REFUND_ONLY = (0, "仅退款", "Refund only")
    RETURN_REFUND = (1, "退货退款", "Return and refund")
    EXCHANGE = (2, "换货", "Exchange")


class RefundStatus(LabelledEnum):
    APPLIED = (0, "待处理", "Awaiting review")
    CANCELLED = (1, "买家已撤销", "Cancelled by buyer")
    REFUSED = (2, "已拒绝", "Refused")
    PROCESSING = (3, "处理中", "Processing")
    DONE = (4, "已完成", "Completed")


class GoodsReceived(LabelledEnum):
    NOT_RECEIVED = (0, "未收到货", "Goods not received")
    RECEIVED = (1, "已收到货", "Goods received")


class ReturnLeg(LabelledEnum):
    """``status2`` of an after-sale application: where the buyer's return parcel is."""

    NONE = (0, "无需退货", "No return")
    AWAITING_TRACKING = (1, "待买家寄回", "Awaiting buyer's return parcel")
    TRACKING_FILLED = (2, "买家已寄回", "Buyer has sent it back")


class RefundDestination(LabelledEnum):
    BALANCE = (0, "退到余额", "To balance")
    ORIGINAL = (1, "原路退回", "Original payment route")


class UserStatus(LabelledEnum):
    NORMAL = (0, "正常", "Normal")
    DISABLED = (1, "已禁用", "Disabled")


class UserSource(LabelledEnum):
    MINI_PROGRAM = (0, "微信小程序", "WeChat mini-program")
    MOBILE = (1, "手机号", "Mobile")
    OFFICIAL_ACCOUNT = (2, "公众号", "Official account")
    ALIPAY = (3, "支付宝小程序", "Alipay mini-program")
    USERNAME = (4, "用户名", "Username")
    EMAIL = (5, "邮箱", "Email")
    QQ = (6, "QQ", "QQ")
    WECHAT = (7, "微信登录", "WeChat login")
    TOUTIAO = (8, "头条小程序", "Toutiao mini-program")
    ADMIN = (9, "后台录入", "Entered by staff")


class LedgerKind(StrEnum):
    """The four asset ledgers a user has."""

    BALANCE = "balance"
    FROZEN = "frozen"
    POINTS = "points"
    TOKEN = "token"

    def label(self, lang: str = "zh") -> str:
        zh = {"balance": "余额", "frozen": "冻结余额", "points": "积分", "token": "代币"}
        en = {"balance": "Balance", "frozen": "Frozen balance", "points": "Points", "token": "Tokens"}
        return (zh if lang.startswith("zh") else en)[self.value]


class Behavior(LabelledEnum):
    INCOME = (0, "收入", "Income")
    EXPENSE = (1, "支出", "Expense")


class CashLogType(LabelledEnum):
    RECHARGE = (0, "充值", "Recharge")
    WITHDRAW_SUCCESS = (1, "提现成功", "Withdrawal paid")
    ORDER_PAYMENT = (2, "订单支付", "Order payment")
    REFUND = (3, "退款", "Refund")
    BOOKING_FEE = (4, "预约费", "Booking fee")
    PAID_CONTENT = (5, "知识付费", "Paid content")
    COMMISSION = (6, "分销佣金", "Distribution commission")
    INVITE_REWARD = (7, "邀请奖励", "Invite reward")
    PAY_BILL = (8, "优惠买单", "Pay bill")
    RECHARGE_BONUS = (9, "充值赠送", "Recharge bonus")
    WITHDRAW_REQUEST = (11, "申请提现", "Withdrawal request")
    WITHDRAW_FAILED = (12, "提现失败", "Withdrawal failed")
    DEPOSIT = (100, "押金", "Deposit")
    DEPOSIT_RETURNED = (101, "押金退还", "Deposit returned")
    MEMBERSHIP = (110, "购买会员", "Membership purchase")
    SALES = (120, "销售收入", "Sales proceeds")
    PROFIT_SHARE = (130, "分润", "Profit share")
    POINTS_TO_CASH = (140, "积分兑现", "Points to cash")
    ADMIN_ADJUST = (150, "后台调整", "Adjusted by staff")


class ScoreLogType(LabelledEnum):
    REGISTER = (0, "注册赠送", "Registration")
    INVITE = (1, "邀请好友", "Invite friend")
    SIGN_IN = (2, "每日签到", "Daily sign-in")
    COUPON_EXCHANGE = (3, "兑换优惠券", "Coupon exchange")
    ADMIN_ADJUST = (4, "后台调整", "Adjusted by staff")
    RECHARGE_BONUS = (5, "充值赠送", "Recharge bonus")
    PURCHASE_REBATE = (6, "购物返积分", "Purchase rebate")
    GOOD_REVIEW = (7, "好评奖励", "Good-review bonus")
    GOODS_PURCHASE = (11, "积分购物", "Goods purchase")
    POINTS_VOUCHER = (12, "积分券", "Points voucher")
    COMMISSION = (13, "分销佣金", "Distribution commission")
    SHARE_GROUP = (14, "分享到微信群", "Shared to WeChat group")
    TO_GROWTH = (15, "转成长值", "To growth value")
    TO_CASH = (16, "兑换现金", "To cash")


class WithdrawalStatus(LabelledEnum):
    PENDING = (0, "待审核", "Pending")
    PAID = (1, "已打款", "Paid")
    REFUSED = (2, "已拒绝", "Refused")
    PROCESSING = (3, "打款中", "Bank processing")


class WithdrawalChannel(StrEnum):
    BANK = "bank"
    WECHAT = "wechat"

    def label(self, lang: str = "zh") -> str:
        if lang.startswith("zh"):
            return "银行卡" if self is WithdrawalChannel.BANK else "微信零钱"
        return "Bank card" if self is WithdrawalChannel.BANK else "WeChat wallet"


class VoucherStatus(LabelledEnum):
    """核销券 (redeemable vouchers)."""

    UNUSED = (0, "未核销", "Not redeemed")
    REDEEMED = (1, "已核销", "Redeemed")
    VOID = (2, "已作废", "Void")
    EXPIRED = (3, "已过期", "Expired")


class CouponStatus(LabelledEnum):
    """A coupon in a user's hands (API工厂)."""

    NORMAL = (0, "可使用", "Usable")
    INVALID = (1, "已失效", "Invalidated")
    EXPIRED = (2, "已过期", "Expired")
    USED = (3, "已使用", "Used")


class CourierKind(LabelledEnum):
    DOMESTIC = (0, "国内", "Domestic")
    INTERNATIONAL = (1, "国际", "International")
    SELF = (2, "自配送", "Own delivery")
