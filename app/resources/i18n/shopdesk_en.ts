<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ColumnsDialog</name>
    <message>
        <source>导出订单</source>
        <translation>Export orders</translation>
    </message>
    <message>
        <source>导出 {count} 笔订单。选择要导出的列：</source>
        <translation>Export {count} orders. Choose the columns to export:</translation>
    </message>
    <message>
        <source>Excel 文件（.xlsx）保留订单号和手机的全部位数；CSV 为 UTF-8 编码。</source>
        <translation>Excel files (.xlsx) keep every digit of order and phone numbers; CSV files are UTF-8.</translation>
    </message>
    <message>
        <source>选择文件并导出…</source>
        <translation>Choose file and export…</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>ShopDesk 出错了</source>
        <translation>ShopDesk hit a problem</translation>
    </message>
    <message>
        <source>ShopDesk 遇到了一个程序错误。您的数据已保存在本地缓存中；请复制下面的报告发给开发者。</source>
        <translation>ShopDesk hit a bug. Your data is safe in the local cache; please copy the report below and send it to the developers.</translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <source>无法写入“{path}”：{reason}。请换一个文件夹或文件名。</source>
        <translation>Cannot write “{path}”: {reason}. Choose another folder or file name.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>全部时间</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>自定义…</source>
        <translation>Custom…</translation>
    </message>
    <message>
        <source>全部售后状态</source>
        <translation>Any refund state</translation>
    </message>
    <message>
        <source>全部配送方式</source>
        <translation>Any delivery</translation>
    </message>
    <message>
        <source>快递配送</source>
        <translation>Courier delivery</translation>
    </message>
    <message>
        <source>到店自提</source>
        <translation>In-store pickup</translation>
    </message>
    <message>
        <source>发货：全部</source>
        <translation>Shipped: any</translation>
    </message>
    <message>
        <source>已发货</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>未发货</source>
        <translation>Not shipped</translation>
    </message>
    <message>
        <source>打印：全部</source>
        <translation>Printed: any</translation>
    </message>
    <message>
        <source>已打印</source>
        <translation>Printed</translation>
    </message>
    <message>
        <source>未打印</source>
        <translation>Not printed</translation>
    </message>
    <message>
        <source>下单时间</source>
        <translation>Order date</translation>
    </message>
    <message>
        <source>从（含当天）</source>
        <translation>From (inclusive)</translation>
    </message>
    <message>
        <source>到（含当天）</source>
        <translation>To (inclusive)</translation>
    </message>
    <message>
        <source>售后状态</source>
        <translation>Refund state</translation>
    </message>
    <message>
        <source>全部快递</source>
        <translation>Any courier</translation>
    </message>
    <message>
        <source>快递公司（按包裹）</source>
        <translation>Courier (by parcel)</translation>
    </message>
    <message>
        <source>快递配送还是到店自提</source>
        <translation>Courier delivery or in-store pickup</translation>
    </message>
    <message>
        <source>是否已发货</source>
        <translation>Whether the order has shipped</translation>
    </message>
    <message>
        <source>是否已打印发货单</source>
        <translation>Whether the shipping slip has been printed</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>回到全部订单（不改状态页和搜索）</source>
        <translation>Back to all orders (keeps the status tab and search)</translation>
    </message>
</context>
<context>
    <name>GlobalSearchDialog</name>
    <message>
        <source>输入订单号、手机号、收货人或商品名，搜索本地缓存中的订单。↑↓ 选择，Enter 打开，Esc 关闭。</source>
        <translation>Type an order number, phone number, receiver or goods name to search the orders in the local cache. ↑↓ to choose, Enter to open, Esc to close.</translation>
    </message>
    <message>
        <source>没有找到</source>
        <translation>Nothing found</translation>
    </message>
    <message>
        <source>到店自提</source>
        <translation>In-store pickup</translation>
    </message>
    <message>
        <source>下单 {time}</source>
        <translation>Placed {time}</translation>
    </message>
    <message>
        <source>搜索订单 (Ctrl+K)</source>
        <translation>Search orders (Ctrl+K)</translation>
    </message>
    <message>
        <source>订单号 / 手机号 / 收货人 / 商品</source>
        <translation>Order no. / phone / receiver / goods</translation>
    </message>
    <message>
        <source>（仅显示最新 {limit} 笔）</source>
        <translation> (showing the newest {limit} only)</translation>
    </message>
    <message>
        <source>找到 {count} 笔订单{more}。↑↓ 选择，Enter 打开。</source>
        <translation>Found {count} orders{more}. ↑↓ to choose, Enter to open.</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>离线：平台无法连接，仍可浏览和搜索本地数据</source>
        <translation>Offline: the platform cannot be reached. You can still browse and search the local data.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>偏好设置</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>跟随系统</source>
        <translation>Same as the system</translation>
    </message>
    <message>
        <source>语言将在重启 ShopDesk 后生效。</source>
        <translation>The language changes when ShopDesk restarts.</translation>
    </message>
    <message>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>界面语言：</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>外观：</source>
        <translation>Appearance:</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>● 正在连接</source>
        <translation>● Connecting</translation>
    </message>
    <message>
        <source>尚未联系平台</source>
        <translation>Not in touch with the platform yet</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>平台可以连接</source>
        <translation>The platform can be reached</translation>
    </message>
    <message>
        <source>● 离线</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <source>平台无法连接</source>
        <translation>The platform cannot be reached</translation>
    </message>
    <message>
        <source>同步{resource} {done}/{total}</source>
        <translation>Syncing {resource} {done}/{total}</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last synced {time}</translation>
    </message>
</context>
<context>
    <name>ask_export</name>
    <message>
        <source>没有可导出的订单：当前视图为空。</source>
        <translation>No orders to export: the current view is empty.</translation>
    </message>
    <message>
        <source>导出订单</source>
        <translation>Export orders</translation>
    </message>
    <message>
        <source>订单.xlsx</source>
        <translation>orders.xlsx</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>正在导出… {done}/{total}</source>
        <translation>Exporting… {done}/{total}</translation>
    </message>
    <message>
        <source>已导出 {count} 笔订单到 {path}</source>
        <translation>Exported {count} orders to {path}</translation>
    </message>
</context>
<context>
    <name>resources</name>
    <message>
        <source>订单</source>
        <translation>orders</translation>
    </message>
    <message>
        <source>售后</source>
        <translation>refunds</translation>
    </message>
    <message>
        <source>客户</source>
        <translation>customers</translation>
    </message>
    <message>
        <source>提现</source>
        <translation>withdrawals</translation>
    </message>
    <message>
        <source>余额明细</source>
        <translation>balance log</translation>
    </message>
    <message>
        <source>积分明细</source>
        <translation>points log</translation>
    </message>
    <message>
        <source>冻结明细</source>
        <translation>frozen balance log</translation>
    </message>
    <message>
        <source>代币明细</source>
        <translation>token log</translation>
    </message>
    <message>
        <source>卡券</source>
        <translation>vouchers</translation>
    </message>
    <message>
        <source>用户优惠券</source>
        <translation>customers&apos; coupons</translation>
    </message>
    <message>
        <source>快递公司</source>
        <translation>couriers</translation>
    </message>
    <message>
        <source>运费模板</source>
        <translation>freight rules</translation>
    </message>
    <message>
        <source>文章分类</source>
        <translation>article categories</translation>
    </message>
    <message>
        <source>轮播图</source>
        <translation>banners</translation>
    </message>
    <message>
        <source>文章</source>
        <translation>articles</translation>
    </message>
    <message>
        <source>公告</source>
        <translation>notices</translation>
    </message>
    <message>
        <source>信息</source>
        <translation>info posts</translation>
    </message>
    <message>
        <source>优惠券</source>
        <translation>coupons</translation>
    </message>
    <message>
        <source>单页</source>
        <translation>pages</translation>
    </message>
</context>
</TS>
