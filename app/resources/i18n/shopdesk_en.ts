<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccountForm</name>
    <message>
        <source>例如：旗舰店</source>
        <translation>For example: Flagship store</translation>
    </message>
    <message>
        <source>例如：https://api.example.com</source>
        <translation>For example: https://api.example.com</translation>
    </message>
    <message>
        <source>开放平台 → 应用详情中的 AppId</source>
        <translation>The AppId under Open platform → App details</translation>
    </message>
    <message>
        <source>开放平台 → 应用详情中的 AppSecret</source>
        <translation>The AppSecret under Open platform → App details</translation>
    </message>
    <message>
        <source>API工厂后台 → 商户信息中的商户号</source>
        <translation>The merchant number under API Factory admin → Merchant info</translation>
    </message>
    <message>
        <source>API工厂后台 → 商户信息中的商户密钥</source>
        <translation>The merchant key under API Factory admin → Merchant info</translation>
    </message>
    <message>
        <source>可不填；小程序接口用的专属域名</source>
        <translation>Optional: the mini-program API&apos;s own domain</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>平台</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>接口地址</source>
        <translation>API address</translation>
    </message>
    <message>
        <source>商户号</source>
        <translation>Merchant no.</translation>
    </message>
    <message>
        <source>商户密钥</source>
        <translation>Merchant key</translation>
    </message>
    <message>
        <source>专属域名</source>
        <translation>Own domain</translation>
    </message>
    <message>
        <source>显示</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>显示或隐藏密钥</source>
        <translation>Show or hide the key</translation>
    </message>
    <message>
        <source>隐藏</source>
        <translation>Hide</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>账号设置</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>添加账号</source>
        <translation>Add account</translation>
    </message>
    <message>
        <source>删除…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>练习商店是本机运行的模拟平台，带有示例订单、客户和售后，可随意操作，不会影响真实店铺。没有设置真实账号时，ShopDesk 使用练习商店（标题栏显示“练习模式”）。

要连接真实店铺，请点“添加账号”，填写平台信息并测试连接。</source>
        <translation>The practice shop is a simulated platform running on this computer, with sample orders, customers and after-sales: try anything, no real shop is affected. Without a real account ShopDesk uses the practice shop (the title bar says “Practice mode”).

To connect a real shop, click “Add account”, fill in the platform&apos;s details and test the connection.</translation>
    </message>
    <message>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>切换到此账号</source>
        <translation>Switch to this account</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>练习商店（练习模式）</source>
        <translation>Practice shop (practice mode)</translation>
    </message>
    <message>
        <source>新账号</source>
        <translation>New account</translation>
    </message>
    <message>
        <source>（未保存）</source>
        <translation> (not saved)</translation>
    </message>
    <message>
        <source>（有修改）</source>
        <translation> (changed)</translation>
    </message>
    <message>
        <source> · 正在使用</source>
        <translation> · in use</translation>
    </message>
    <message>
        <source>切换到练习商店</source>
        <translation>Switch to the practice shop</translation>
    </message>
    <message>
        <source>请先改正标红的内容，再保存。</source>
        <translation>Correct the fields marked in red, then save.</translation>
    </message>
    <message>
        <source>无法写入账号文件：{error}。请检查磁盘空间和文件夹权限后重试。</source>
        <translation>Cannot write the accounts file: {error}. Check the disk space and the folder&apos;s permissions, then try again.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>正在使用这个账号，不能删除。请先切换到其他账号（或练习商店），再删除它。</source>
        <translation>This account is in use and cannot be deleted. Switch to another account (or the practice shop) first.</translation>
    </message>
    <message>
        <source>删除账号</source>
        <translation>Delete account</translation>
    </message>
    <message>
        <source>删除账号“{name}”？它的密钥会从本机删除。

本机还缓存着这个账号的订单等数据，要一并删除吗？
保留的话，文件留在 {folder}，可以备份后再手动删除。</source>
        <translation>Delete the account “{name}”? Its keys are removed from this computer.

This computer also caches the account&apos;s orders and other data: delete them too?
If kept, the files stay in {folder}, to back up and delete by hand.</translation>
    </message>
    <message>
        <source>删除账号和缓存</source>
        <translation>Delete account and cache</translation>
    </message>
    <message>
        <source>只删除账号</source>
        <translation>Delete account only</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>账号已删除。</source>
        <translation>Account deleted.</translation>
    </message>
    <message>
        <source>请先改正标红的内容，再测试连接。</source>
        <translation>Correct the fields marked in red, then test the connection.</translation>
    </message>
    <message>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>这个账号有未保存的修改：请先保存，再切换。</source>
        <translation>This account has unsaved changes: save them before switching.</translation>
    </message>
    <message>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>这些账号有未保存的修改：{names}。关闭后这些修改会丢失。</source>
        <translation>These accounts have unsaved changes: {names}. They are lost if you close.</translation>
    </message>
    <message>
        <source>放弃修改并关闭</source>
        <translation>Discard changes and close</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
</context>
<context>
    <name>BatchShipDialog</name>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>订单号</source>
        <translation>Order no.</translation>
    </message>
    <message>
        <source>快递公司</source>
        <translation>Courier</translation>
    </message>
    <message>
        <source>快递单号</source>
        <translation>Tracking no.</translation>
    </message>
    <message>
        <source>核对结果</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>发货状态</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>可发货</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>发送中</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>已发货</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>不发送</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>全部行</source>
        <translation>All rows</translation>
    </message>
    <message>
        <source>发货失败</source>
        <translation>Failed to ship</translation>
    </message>
    <message>
        <source>尚未发送</source>
        <translation>Not sent yet</translation>
    </message>
    <message>
        <source>批量发货</source>
        <translation>Batch ship</translation>
    </message>
    <message>
        <source>选择一个 CSV 或 XLSX 文件：订单号、快递公司、快递单号</source>
        <translation>Choose a CSV or XLSX file: order number, courier, tracking number</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>只看某种结果的行</source>
        <translation>Show only rows with this result</translation>
    </message>
    <message>
        <source>连同有提醒的行一起发货</source>
        <translation>Also ship rows with warnings</translation>
    </message>
    <message>
        <source>不勾选时，有提醒的行不发货，留在结果文件中待核对</source>
        <translation>Unchecked, rows with warnings are not shipped and stay in the results file to check</translation>
    </message>
    <message>
        <source>开始发货</source>
        <translation>Start shipping</translation>
    </message>
    <message>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>不再发送新的订单；正在发送的会发完，其余的以后可以继续</source>
        <translation>Send no more orders; those being sent finish, the rest can go on later</translation>
    </message>
    <message>
        <source>导出结果…</source>
        <translation>Export results…</translation>
    </message>
    <message>
        <source>原文件加上核对结果和说明，改好后可以再次导入</source>
        <translation>The file with the check results and messages added; fix it and import it again</translation>
    </message>
    <message>
        <source>重试失败的</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>再次发送失败的订单；发送前会先查询平台，不会重复发货</source>
        <translation>Send the failed orders again; the platform is checked first, so nothing ships twice</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>继续发货</source>
        <translation>Continue shipping</translation>
    </message>
    <message>
        <source>发送这一批中尚未发送的订单</source>
        <translation>Send the orders of this batch not sent yet</translation>
    </message>
    <message>
        <source>发送可发货的 {count} 笔订单</source>
        <translation>Ship the {count} ready orders</translation>
    </message>
    <message>
        <source>没有可发货的行</source>
        <translation>No rows ready to ship</translation>
    </message>
    <message>
        <source>选择批量发货文件</source>
        <translation>Choose a batch-ship file</translation>
    </message>
    <message>
        <source>无法打开文件：{error}</source>
        <translation>Cannot open the file: {error}</translation>
    </message>
    <message>
        <source>文件中没有数据行。</source>
        <translation>The file has no data rows.</translation>
    </message>
    <message>
        <source>可发货 {ok} · 提醒 {warning} · 错误 {error} · 跳过 {skip}</source>
        <translation>Ready {ok} · Warnings {warning} · Errors {error} · Skipped {skip}</translation>
    </message>
    <message>
        <source>将给 {count} 笔订单发货，发货信息在微信中只能修改一次。</source>
        <translation>{count} orders will be shipped. Shipping details can be changed only once in WeChat.</translation>
    </message>
    <message>
        <source>发货 {count} 笔</source>
        <translation>Ship {count}</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>发送中…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>已处理 {done}/{total}，失败 {failed}</source>
        <translation>Processed {done}/{total}, failed {failed}</translation>
    </message>
    <message>
        <source>已发货 {done} · 失败 {failed} · 未发送 {left} · 不发送 {skipped}</source>
        <translation>Shipped {done} · Failed {failed} · Not sent yet {left} · Not sent {skipped}</translation>
    </message>
    <message>
        <source>批量发货完成：{counts}</source>
        <translation>Batch shipped: {counts}</translation>
    </message>
    <message>
        <source>批量发货已停止：{counts}。点“继续发货”发送其余的。</source>
        <translation>Batch stopped: {counts}. Click &quot;Continue shipping&quot; to send the rest.</translation>
    </message>
    <message>
        <source>批量发货结束：{counts}</source>
        <translation>Batch ended: {counts}</translation>
    </message>
    <message>
        <source>正在停止：发送中的订单会发完…</source>
        <translation>Stopping: orders being sent will finish…</translation>
    </message>
    <message>
        <source>导出结果</source>
        <translation>Export results</translation>
    </message>
    <message>
        <source>无法保存结果：{error}。如果文件在 Excel 中打开，请先关闭。</source>
        <translation>Cannot save the results: {error}. If the file is open in Excel, close it first.</translation>
    </message>
    <message>
        <source>结果已保存为 {name}</source>
        <translation>Results saved as {name}</translation>
    </message>
    <message>
        <source>正在批量发货</source>
        <translation>Batch shipping in progress</translation>
    </message>
    <message>
        <source>关闭会停止批量发货：正在发送的订单会发完，其余的以后可以继续发送。</source>
        <translation>Closing stops the batch: orders being sent will finish, the rest can be sent later.</translation>
    </message>
    <message>
        <source>停止并关闭</source>
        <translation>Stop and close</translation>
    </message>
    <message>
        <source>上次批量发货在 {done}/{total} 处中断，继续吗？</source>
        <translation>The last batch shipment stopped at {done}/{total}. Continue?</translation>
    </message>
    <message>
        <source>文件：{source}（{created}）</source>
        <translation>File: {source} ({created})</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>稍后</source>
        <translation>Later</translation>
    </message>
</context>
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
    <name>CopyButton</name>
    <message>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>复制：{text}</source>
        <translation>Copy: {text}</translation>
    </message>
    <message>
        <source>已复制</source>
        <translation>Copied</translation>
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
        <source>已打印未发货</source>
        <translation>Printed, not shipped</translation>
    </message>
    <message>
        <source>已发货未打印</source>
        <translation>Shipped, never printed</translation>
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
    <name>MainWindow</name>
    <message>
        <source>{title} — 练习模式</source>
        <translation>{title} — Practice mode</translation>
    </message>
    <message>
        <source>查看待发送队列</source>
        <translation>Show the send queue</translation>
    </message>
    <message>
        <source>打开待发送队列</source>
        <translation>Open the send queue</translation>
    </message>
    <message>
        <source>订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>发货</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>立即同步(&amp;S)</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>偏好设置…(&amp;P)</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>打印设置…</source>
        <translation>Print settings…</translation>
    </message>
    <message>
        <source>账号…(&amp;A)</source>
        <translation>&amp;Accounts…</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>搜索订单…(&amp;K)</source>
        <translation>Search orders… (&amp;K)</translation>
    </message>
    <message>
        <source>在当前列表中查找(&amp;F)</source>
        <translation>&amp;Find in this list</translation>
    </message>
    <message>
        <source>查找(&amp;E)</source>
        <translation>S&amp;earch</translation>
    </message>
    <message>
        <source>订单(&amp;O)</source>
        <translation>&amp;Orders</translation>
    </message>
    <message>
        <source>待发送队列…(&amp;Q)</source>
        <translation>Send &amp;queue…</translation>
    </message>
    <message>
        <source>扫码发货…</source>
        <translation>Scan to ship…</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>键盘快捷键(&amp;K)</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>关于 ShopDesk(&amp;A)</source>
        <translation>&amp;About ShopDesk</translation>
    </message>
    <message>
        <source>查看待发送队列（{count} 项，恢复连接后自动发送）</source>
        <translation>Show the send queue ({count} waiting, sent when back online)</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>同步完成</source>
        <translation>Sync finished</translation>
    </message>
    <message>
        <source>同步{resource}未完成：{reason}</source>
        <translation>Syncing {resource} did not finish: {reason}</translation>
    </message>
    <message>
        <source>键盘快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>关于 ShopDesk</source>
        <translation>About ShopDesk</translation>
    </message>
    <message>
        <source>ShopDesk 商家工作台
微信小程序商城的桌面后台：订单、发货、售后、客户与内容管理。</source>
        <translation>ShopDesk merchant desk
A desktop back office for WeChat mini-program shops: orders, shipping, after-sales, customers and content.</translation>
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
    <name>OrderActions</name>
    <message>
        <source>改价…</source>
        <translation>Change price…</translation>
    </message>
    <message>
        <source>修改备注…</source>
        <translation>Edit remark…</translation>
    </message>
    <message>
        <source>设为已付款…</source>
        <translation>Mark as paid…</translation>
    </message>
    <message>
        <source>余额支付…</source>
        <translation>Pay from balance…</translation>
    </message>
    <message>
        <source>关闭订单…</source>
        <translation>Close order…</translation>
    </message>
    <message>
        <source>设为交易成功…</source>
        <translation>Mark as completed…</translation>
    </message>
    <message>
        <source>设为已付款</source>
        <translation>Mark as paid</translation>
    </message>
    <message>
        <source>从余额扣款</source>
        <translation>Charge the balance</translation>
    </message>
    <message>
        <source>关闭订单</source>
        <translation>Close order</translation>
    </message>
    <message>
        <source>设为交易成功</source>
        <translation>Mark as completed</translation>
    </message>
    <message>
        <source>先在列表中选择订单</source>
        <translation>Select orders in the list first</translation>
    </message>
    <message>
        <source>对所选 {count} 笔订单{action}（{key}）</source>
        <translation>{action}: the {count} selected orders ({key})</translation>
    </message>
    <message>
        <source>{action}（{key}）</source>
        <translation>{action} ({key})</translation>
    </message>
    <message>
        <source>尚未连接平台</source>
        <translation>Not connected to the platform yet</translation>
    </message>
    <message>
        <source>一次只能对一笔订单{action}</source>
        <translation>{action} works on one order at a time</translation>
    </message>
    <message>
        <source>所选订单都不能{action}：{reason}</source>
        <translation>None of the selected orders allows this ({action}): {reason}</translation>
    </message>
    <message>
        <source>该订单已不在本地缓存中</source>
        <translation>This order is no longer in the local cache</translation>
    </message>
    <message>
        <source>订单 {number} 的商家备注（买家看不到）：</source>
        <translation>Merchant remark for order {number} (buyers do not see it):</translation>
    </message>
    <message>
        <source>新的商家备注（将替换这些订单原有的备注）：</source>
        <translation>New merchant remark (replaces each order&apos;s current remark):</translation>
    </message>
    <message>
        <source>（{count} 笔）</source>
        <translation> ({count} orders)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <source>待自提</source>
        <translation>To pick up</translation>
    </message>
    <message>
        <source>配送方式</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>自提码</source>
        <translation>Pickup code</translation>
    </message>
    <message>
        <source>下单时间</source>
        <translation>Placed</translation>
    </message>
    <message>
        <source>付款时间</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>关闭时间</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>更新时间</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>收货人</source>
        <translation>Receiver</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>邮编</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>用户 ID</source>
        <translation>User ID</translation>
    </message>
    <message>
        <source>昵称</source>
        <translation>Nickname</translation>
    </message>
    <message>
        <source>商品金额</source>
        <translation>Goods</translation>
    </message>
    <message>
        <source>运费</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>优惠</source>
        <translation>Discount</translation>
    </message>
    <message>
        <source>实付</source>
        <translation>Paid total</translation>
    </message>
    <message>
        <source>已退款</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <source>买家留言</source>
        <translation>Buyer note</translation>
    </message>
    <message>
        <source>商家备注</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>快递</source>
        <translation>Courier</translation>
    </message>
    <message>
        <source>单号</source>
        <translation>Tracking</translation>
    </message>
    <message>
        <source>发货时间</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <source>包裹商品</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>商品</source>
        <translation>Goods</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>退货单号</source>
        <translation>Return no.</translation>
    </message>
    <message>
        <source>拒绝原因</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>申请时间</source>
        <translation>Requested</translation>
    </message>
    <message>
        <source>订单</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>复制订单号</source>
        <translation>Copy order no.</translation>
    </message>
    <message>
        <source>到店自提</source>
        <translation>In-store pickup</translation>
    </message>
    <message>
        <source>快递配送</source>
        <translation>Courier delivery</translation>
    </message>
    <message>
        <source>未付款</source>
        <translation>Not paid</translation>
    </message>
    <message>
        <source>收货信息</source>
        <translation>Receiver</translation>
    </message>
    <message>
        <source>到店自提，没有收货地址</source>
        <translation>In-store pickup: no delivery address</translation>
    </message>
    <message>
        <source>该订单没有收货信息</source>
        <translation>This order has no receiver details</translation>
    </message>
    <message>
        <source>复制全部（收货人 手机 地址）</source>
        <translation>Copy all (name, mobile, address)</translation>
    </message>
    <message>
        <source>买家</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>买家资料尚未同步到本地</source>
        <translation>The buyer&apos;s profile has not been synced yet</translation>
    </message>
    <message>
        <source>待发货 {count} 件</source>
        <translation>{count} not shipped yet</translation>
    </message>
    <message>
        <source>售后：{kind} · {state}</source>
        <translation>After-sale: {kind} · {state}</translation>
    </message>
    <message>
        <source>商品（{count} 件）</source>
        <translation>Goods ({count})</translation>
    </message>
    <message>
        <source>本地缓存中没有该订单的商品</source>
        <translation>The local cache has no goods for this order</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>商品 #{id} ×{count}</source>
        <translation>Item #{id} ×{count}</translation>
    </message>
    <message>
        <source>未注明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <source>暂无物流轨迹</source>
        <translation>No tracking events yet</translation>
    </message>
    <message>
        <source>物流</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>到店自提，无需发货</source>
        <translation>In-store pickup: nothing to ship</translation>
    </message>
    <message>
        <source>尚未发货</source>
        <translation>Not shipped yet</translation>
    </message>
    <message>
        <source>订单已关闭，没有包裹</source>
        <translation>The order is closed: no parcels</translation>
    </message>
    <message>
        <source>本地缓存中没有包裹信息</source>
        <translation>The local cache has no parcels for this order</translation>
    </message>
    <message>
        <source>售后</source>
        <translation>After-sales</translation>
    </message>
    <message>
        <source>没有售后申请</source>
        <translation>No after-sale requests</translation>
    </message>
    <message>
        <source>整单</source>
        <translation>Whole order</translation>
    </message>
    <message>
        <source>订单日志</source>
        <translation>Order log</translation>
    </message>
    <message>
        <source>本地缓存中没有该订单的日志（同步订单详情后显示）</source>
        <translation>No log for this order in the local cache (shown once its details are synced)</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>{result}：{message}</source>
        <translation>{result}: {message}</translation>
    </message>
    <message>
        <source>本机操作记录</source>
        <translation>Changes made here</translation>
    </message>
    <message>
        <source>本机没有对该订单的操作记录</source>
        <translation>No changes to this order were made on this computer</translation>
    </message>
</context>
<context>
    <name>OrderDetailPane</name>
    <message>
        <source>选择一个订单查看详情</source>
        <translation>Select an order to see its details</translation>
    </message>
    <message>
        <source>该订单已不在本地缓存中</source>
        <translation>This order is no longer in the local cache</translation>
    </message>
    <message>
        <source>订单操作</source>
        <translation>Order actions</translation>
    </message>
</context>
<context>
    <name>OrderDetailWindow</name>
    <message>
        <source>订单(&amp;O)</source>
        <translation>&amp;Order</translation>
    </message>
    <message>
        <source>订单 {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <source>订单 #{id}</source>
        <translation>Order #{id}</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>此列不能排序</source>
        <translation>This column cannot be sorted</translation>
    </message>
    <message>
        <source>读取中…</source>
        <translation>Loading…</translation>
    </message>
</context>
<context>
    <name>OrdersPanel</name>
    <message>
        <source>搜索订单号、收货人、手机、地址、快递单号、商品、备注（Ctrl+F）</source>
        <translation>Search order no., receiver, mobile, address, tracking no., goods, remarks (Ctrl+F)</translation>
    </message>
    <message>
        <source>视图</source>
        <translation>Views</translation>
    </message>
    <message>
        <source>保存的视图：状态页、搜索、筛选和排序一起保存</source>
        <translation>Saved views: the tab, search, filters and sort saved together</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>把当前视图或所选订单导出为 Excel 或 CSV</source>
        <translation>Export this view or the selected orders to Excel or CSV</translation>
    </message>
    <message>
        <source>导出当前视图…</source>
        <translation>Export this view…</translation>
    </message>
    <message>
        <source>导出所选订单…</source>
        <translation>Export selected orders…</translation>
    </message>
    <message>
        <source>复制订单号</source>
        <translation>Copy order numbers</translation>
    </message>
    <message>
        <source>在新窗口打开</source>
        <translation>Open in a new window</translation>
    </message>
    <message>
        <source>显示全部列</source>
        <translation>Show all columns</translation>
    </message>
    <message>
        <source>读取中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>读取本地订单失败：{error}。请重启程序；若仍失败，请在设置中重建本地缓存。</source>
        <translation>Could not read the local orders: {error}. Restart ShopDesk; if it still fails, rebuild the local cache in the settings.</translation>
    </message>
    <message>
        <source>{count} 笔以上，正在计数…</source>
        <translation>{count}+ orders, counting…</translation>
    </message>
    <message>
        <source>共 {count} 笔订单</source>
        <translation>{count} orders</translation>
    </message>
    <message>
        <source>（正在读取全部行…）</source>
        <translation> (reading all rows…)</translation>
    </message>
    <message>
        <source> · 已选 {count} 笔（Ctrl+C 复制订单号）</source>
        <translation> · {count} selected (Ctrl+C copies the order numbers)</translation>
    </message>
    <message>
        <source>已复制 {count} 个订单号</source>
        <translation>Copied {count} order numbers</translation>
    </message>
    <message>
        <source>仍在读取全部行，请稍候再导出。</source>
        <translation>Still reading all rows: export again in a moment.</translation>
    </message>
    <message>
        <source>保存当前视图…</source>
        <translation>Save this view…</translation>
    </message>
    <message>
        <source>删除视图</source>
        <translation>Delete view</translation>
    </message>
    <message>
        <source>保存视图</source>
        <translation>Save view</translation>
    </message>
    <message>
        <source>视图名称（如“今天待发货”）：</source>
        <translation>View name (such as “To ship today”):</translation>
    </message>
</context>
<context>
    <name>OutboxClient</name>
    <message>
        <source>已加入待发送队列，恢复连接后自动发送</source>
        <translation>added to the send queue; sent when back online</translation>
    </message>
    <message>
        <source>已加入待发送队列，排在之前的写入之后发送</source>
        <translation>added to the send queue, after the changes already waiting</translation>
    </message>
    <message>
        <source>尚未连接平台，请稍候再试</source>
        <translation>Not connected to the platform yet: try again in a moment</translation>
    </message>
    <message>
        <source>请核对订单后在“待发送队列”中重试或搁置</source>
        <translation>Check the order, then retry or set it aside in the send queue</translation>
    </message>
    <message>
        <source>订单 {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <source>订单 #{id}</source>
        <translation>Order #{id}</translation>
    </message>
    <message>
        <source>售后 #{id}</source>
        <translation>After-sale #{id}</translation>
    </message>
    <message>
        <source>客户 #{id}</source>
        <translation>Customer #{id}</translation>
    </message>
    <message>
        <source>{target} {action}与平台冲突：{error}</source>
        <translation>{target}: {action} conflicts with the platform: {error}</translation>
    </message>
    <message>
        <source>{target} {action}未完成：{error}</source>
        <translation>{target}: {action} not done: {error}</translation>
    </message>
    <message>
        <source>（另有 {count} 笔同样未完成）</source>
        <translation> ({count} more not done either)</translation>
    </message>
    <message>
        <source>。{hint}。</source>
        <translation>. {hint}.</translation>
    </message>
    <message>
        <source>{count} 笔已完成；</source>
        <translation>{count} done; </translation>
    </message>
    <message>
        <source>{action}：{why}</source>
        <translation>{action}: {why}</translation>
    </message>
    <message>
        <source>（{count} 笔）</source>
        <translation> ({count} orders)</translation>
    </message>
    <message>
        <source>{target}：{action}已完成</source>
        <translation>{target}: {action} done</translation>
    </message>
    <message>
        <source>{action}：{count} 笔已完成</source>
        <translation>{action}: {count} done</translation>
    </message>
    <message>
        <source>待发送队列：已发送 {sent} 项</source>
        <translation>Send queue: {sent} sent</translation>
    </message>
    <message>
        <source>，仍有 {left} 项等待连接</source>
        <translation>, {left} still waiting for a connection</translation>
    </message>
    <message>
        <source>已搁置：该项不会再发送，平台的答复仍保留在本机</source>
        <translation>Set aside: it will not be sent again; the platform&apos;s answer stays on this computer</translation>
    </message>
    <message>
        <source>该项已不是失败或冲突状态，无需搁置</source>
        <translation>This item is no longer failed or in conflict: nothing to set aside</translation>
    </message>
    <message>
        <source>{error}。{hint}。</source>
        <translation>{error}. {hint}.</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>等待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>正在发送</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>{count} 项待发送</source>
        <translation>{count} waiting to send</translation>
    </message>
    <message>
        <source>离线：{count} 项待发送</source>
        <translation>Offline: {count} waiting to send</translation>
    </message>
    <message>
        <source>{count} 项未完成</source>
        <translation>{count} not done</translation>
    </message>
    <message>
        <source>上次尝试：{error}</source>
        <translation>Last try: {error}</translation>
    </message>
    <message>
        <source>待发送队列</source>
        <translation>Send queue</translation>
    </message>
    <message>
        <source>立即重试</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <source>搁置</source>
        <translation>Set aside</translation>
    </message>
    <message>
        <source>不再发送这一项（失败或冲突的项）；平台的答复仍保留在本机</source>
        <translation>Stop sending this item (failed or in conflict); the platform&apos;s answer stays on this computer</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>没有待发送或未完成的写入。</source>
        <translation>Nothing waiting to send and nothing left undone.</translation>
    </message>
    <message>
        <source>。恢复连接后按顺序自动发送；也可以点“立即重试”马上试一次。</source>
        <translation>. They are sent in order when back online; or click “Retry now” to try at once.</translation>
    </message>
    <message>
        <source>。未完成的项请核对订单后重试，或搁置。</source>
        <translation>. Check the orders of items not done, then retry or set them aside.</translation>
    </message>
    <message>
        <source>{state}：{error}</source>
        <translation>{state}: {error}</translation>
    </message>
    <message>
        <source>再发送所选的失败项（先向平台核对是否已生效）</source>
        <translation>Send the selected failed item again (first checks with the platform whether it took effect)</translation>
    </message>
    <message>
        <source>马上按顺序发送所有等待中的写入</source>
        <translation>Send everything waiting now, in order</translation>
    </message>
</context>
<context>
    <name>PendingWrites</name>
    <message>
        <source>待同步</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <source>正在发送</source>
        <translation>sending</translation>
    </message>
    <message>
        <source>等待发送</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>{label}：{what}（{operator} {time}，{state}）</source>
        <translation>{label}: {what} ({operator} {time}, {state})</translation>
    </message>
    <message>
        <source>与平台冲突</source>
        <translation>conflicts with the platform</translation>
    </message>
    <message>
        <source>平台未接受</source>
        <translation>refused by the platform</translation>
    </message>
    <message>
        <source>{label}：{what} — {kind}：{error}。{hint}。</source>
        <translation>{label}: {what} — {kind}: {error}. {hint}.</translation>
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
    <name>PriceDialog</name>
    <message>
        <source>改价 — 订单 {number}</source>
        <translation>Change price — order {number}</translation>
    </message>
    <message>
        <source>买家将按新的总价付款。总价已包含运费；运费留空则不变。</source>
        <translation>The buyer will pay the new total. The total includes shipping; leave shipping empty to keep it.</translation>
    </message>
    <message>
        <source>留空则不变</source>
        <translation>Empty: unchanged</translation>
    </message>
    <message>
        <source>当前总价</source>
        <translation>Current total</translation>
    </message>
    <message>
        <source>¥{total}（其中运费 ¥{freight}）</source>
        <translation>¥{total} (shipping ¥{freight})</translation>
    </message>
    <message>
        <source>新总价（元）</source>
        <translation>New total (¥)</translation>
    </message>
    <message>
        <source>新运费（元）</source>
        <translation>New shipping (¥)</translation>
    </message>
    <message>
        <source>改价</source>
        <translation>Change price</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PrintOrders</name>
    <message>
        <source>已打印，但打印记录没能保存：{error}</source>
        <translation>Printed, but the print journal could not be saved: {error}</translation>
    </message>
    <message>
        <source>重复打印</source>
        <translation>Printed before</translation>
    </message>
    <message>
        <source>全部打印</source>
        <translation>Print all</translation>
    </message>
    <message>
        <source>只打印未打印的</source>
        <translation>Print only the unprinted</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{number} 已打印 {times} 次</source>
        <translation>{number} printed {times} times</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>其中 {count} 笔订单的{kind}已打印过（{examples}{more}）。再打印一次？</source>
        <translation>{kind}: {count} of the selected orders were printed before ({examples}{more}). Print again?</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>打印预览 — {title}</source>
        <translation>Print preview — {title}</translation>
    </message>
    <message>
        <source>纸张：</source>
        <translation>Paper:</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PrintProfilesDialog</name>
    <message>
        <source>打印设置</source>
        <translation>Print settings</translation>
    </message>
    <message>
        <source>发货单</source>
        <translation>Shipping slip</translation>
    </message>
    <message>
        <source>装箱单</source>
        <translation>Packing list</translation>
    </message>
    <message>
        <source>拣货单</source>
        <translation>Pick list</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>（每次询问 / 预览）</source>
        <translation>(Ask / preview each time)</translation>
    </message>
    <message>
        <source>（已不存在）{name}</source>
        <translation>(no longer exists) {name}</translation>
    </message>
    <message>
        <source>标签打偏时调整：正数向右 / 向下移动，负数向左 / 向上。</source>
        <translation>Adjust when labels print off-centre: positive moves right / down, negative left / up.</translation>
    </message>
    <message>
        <source>打印测试页</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <source>打印机：</source>
        <translation>Printer:</translation>
    </message>
    <message>
        <source>纸张：</source>
        <translation>Paper:</translation>
    </message>
    <message>
        <source>水平偏移 X：</source>
        <translation>Horizontal offset X:</translation>
    </message>
    <message>
        <source>垂直偏移 Y：</source>
        <translation>Vertical offset Y:</translation>
    </message>
    <message>
        <source>份数：</source>
        <translation>Copies:</translation>
    </message>
    <message>
        <source>ShopDesk 打印测试页</source>
        <translation>ShopDesk print test page</translation>
    </message>
    <message>
        <source>单据：{kind}</source>
        <translation>Document: {kind}</translation>
    </message>
    <message>
        <source>纸张：{paper}</source>
        <translation>Paper: {paper}</translation>
    </message>
    <message>
        <source>打印机：{printer}</source>
        <translation>Printer: {printer}</translation>
    </message>
    <message>
        <source>偏移：X {x:+.1f} mm，Y {y:+.1f} mm</source>
        <translation>Offset: X {x:+.1f} mm, Y {y:+.1f} mm</translation>
    </message>
    <message>
        <source>边框应离纸边一样远，十字应在纸张正中。</source>
        <translation>The border should be the same distance from every edge, and the cross in the middle of the paper.</translation>
    </message>
</context>
<context>
    <name>ReceiverDialog</name>
    <message>
        <source>修改收货地址 — 订单 {number}</source>
        <translation>Change address — order {number}</translation>
    </message>
    <message>
        <source>发货前可以修改收货地址。修改会发送到平台，买家在小程序中能看到新地址。</source>
        <translation>The address can be changed until the order ships. The change goes to the platform; the buyer sees the new address in the mini-program.</translation>
    </message>
    <message>
        <source>11 位手机号</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>街道、小区、楼栋、门牌号</source>
        <translation>Street, compound, building, door number</translation>
    </message>
    <message>
        <source>可不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>收货人</source>
        <translation>Receiver</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>省 / 市 / 区县</source>
        <translation>Province / city / district</translation>
    </message>
    <message>
        <source>详细地址</source>
        <translation>Street address</translation>
    </message>
    <message>
        <source>邮编</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>保存新地址</source>
        <translation>Save new address</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RemarkDialog</name>
    <message>
        <source>修改商家备注</source>
        <translation>Edit merchant remark</translation>
    </message>
    <message>
        <source>只有商家能看到的备注，如“周末送货”“已电话确认”；留空则清空备注</source>
        <translation>A remark only the merchant sees, such as “deliver at the weekend” or “confirmed by phone”; leave empty to clear it</translation>
    </message>
    <message>
        <source>保存备注</source>
        <translation>Save remark</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ScanStation</name>
    <message>
        <source>扫码发货</source>
        <translation>Scan to ship</translation>
    </message>
    <message>
        <source>纯数字的快递单号（中通、申通、韵达等）看不出是哪家快递，按这里选择的发货</source>
        <translation>An all-digit tracking number (ZTO, STO, Yunda…) does not say its courier; such numbers ship with the courier chosen here</translation>
    </message>
    <message>
        <source>默认快递（纯数字单号）</source>
        <translation>Default courier (all-digit numbers)</translation>
    </message>
    <message>
        <source>无需点击输入框：直接扫码。Esc 清除正在读的内容，再按一次放弃当前订单。</source>
        <translation>No field to click: just scan. Esc clears what is being read; press it again to drop the current order.</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>正在读取：{text}</source>
        <translation>Reading: {text}</translation>
    </message>
    <message>
        <source>尚未连接平台，未发货。请稍候再扫一次面单。</source>
        <translation>Not connected to the platform; nothing shipped. Wait a moment, then scan the label again.</translation>
    </message>
    <message>
        <source>… 订单 {number}  {courier} {tracking}  发送中</source>
        <translation>… Order {number}  {courier} {tracking}  sending</translation>
    </message>
    <message>
        <source>正在发送：{what}</source>
        <translation>Sending: {what}</translation>
    </message>
    <message>
        <source>已发货 ✓  订单 {number}</source>
        <translation>Shipped ✓  order {number}</translation>
    </message>
    <message>
        <source>✓ 订单 {number}  {courier} {tracking}  已发货</source>
        <translation>✓ Order {number}  {courier} {tracking}  shipped</translation>
    </message>
    <message>
        <source>订单 {number} 已加入待发送队列，恢复连接后自动发送</source>
        <translation>Order {number} is in the outbox and goes out when the connection is back</translation>
    </message>
    <message>
        <source>… 订单 {number}  {courier} {tracking}  待发送</source>
        <translation>… Order {number}  {courier} {tracking}  queued</translation>
    </message>
    <message>
        <source>发送未完成</source>
        <translation>The send did not finish</translation>
    </message>
    <message>
        <source>订单 {number} 未发货：{error}</source>
        <translation>Order {number} not shipped: {error}</translation>
    </message>
    <message>
        <source>✗ 订单 {number}  {courier} {tracking}  未发货</source>
        <translation>✗ Order {number}  {courier} {tracking}  not shipped</translation>
    </message>
    <message>
        <source>请扫描快递面单</source>
        <translation>Scan the courier label</translation>
    </message>
    <message>
        <source>请扫描发货单上的订单条码</source>
        <translation>Scan the order barcode on the slip</translation>
    </message>
    <message>
        <source>（还没有订单）</source>
        <translation>(no order yet)</translation>
    </message>
    <message>
        <source>订单 {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <source>等待扫码</source>
        <translation>Waiting for a scan</translation>
    </message>
    <message>
        <source>本次已发货 {count} 单</source>
        <translation>Shipped this session: {count}</translation>
    </message>
</context>
<context>
    <name>ShipActions</name>
    <message>
        <source>发货…</source>
        <translation>Ship…</translation>
    </message>
    <message>
        <source>补充快递单号…</source>
        <translation>Add tracking numbers…</translation>
    </message>
    <message>
        <source>线下取货…</source>
        <translation>Picked up in store…</translation>
    </message>
    <message>
        <source>修改收货地址…</source>
        <translation>Change address…</translation>
    </message>
    <message>
        <source>打印发货单</source>
        <translation>Print shipping slips</translation>
    </message>
    <message>
        <source>打印装箱单</source>
        <translation>Print packing lists</translation>
    </message>
    <message>
        <source>打印拣货单</source>
        <translation>Print pick list</translation>
    </message>
    <message>
        <source>先在列表中选择订单</source>
        <translation>Select orders in the list first</translation>
    </message>
    <message>
        <source>尚未连接平台</source>
        <translation>Not connected to the platform yet</translation>
    </message>
    <message>
        <source>一次只能对一笔订单操作</source>
        <translation>This works on one order at a time</translation>
    </message>
    <message>
        <source>该订单已不在本地缓存中</source>
        <translation>The order is no longer in the local cache</translation>
    </message>
    <message>
        <source>待发送队列中有这笔订单的写入，发送后再操作</source>
        <translation>A change to this order is waiting in the outbox; try again once it is sent</translation>
    </message>
    <message>
        <source>只有待发货的订单可以发货</source>
        <translation>Only orders waiting for shipment can be shipped</translation>
    </message>
    <message>
        <source>到店自提的订单不需要发货：买家到店后核销或设为线下取货</source>
        <translation>Pickup orders are not shipped: redeem the code when the buyer comes, or mark it picked up in store</translation>
    </message>
    <message>
        <source>只有已发货的快递订单可以补充快递单号</source>
        <translation>Tracking numbers can only be added to shipped delivery orders</translation>
    </message>
    <message>
        <source>该平台不支持线下取货</source>
        <translation>This platform has no in-store pickup</translation>
    </message>
    <message>
        <source>只有待发货或待自提的订单可以设为线下取货</source>
        <translation>Only orders waiting for shipment or pickup can be marked picked up in store</translation>
    </message>
    <message>
        <source>该平台不支持修改收货地址</source>
        <translation>This platform cannot change the delivery address</translation>
    </message>
    <message>
        <source>只有未发货的快递订单可以修改收货地址</source>
        <translation>Only delivery orders not yet shipped can change their address</translation>
    </message>
    <message>
        <source>为所选 {count} 笔订单打印</source>
        <translation>Print for the {count} selected orders</translation>
    </message>
    <message>
        <source>订单 {number} 将设为线下取货：买家已在店里取走商品，订单不再发货，状态变为待评价。此操作不能撤销。</source>
        <translation>Order {number} will be marked as picked up in store: the buyer has taken the goods, nothing will be shipped, and the order moves to to review. This cannot be undone.</translation>
    </message>
    <message>
        <source>线下取货</source>
        <translation>Picked up in store</translation>
    </message>
    <message>
        <source>设为线下取货</source>
        <translation>Mark picked up</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ShipDialog</name>
    <message>
        <source>补充快递单号 — 订单 {number}</source>
        <translation>Add tracking numbers — order {number}</translation>
    </message>
    <message>
        <source>发货 — 订单 {number}</source>
        <translation>Ship — order {number}</translation>
    </message>
    <message>
        <source>输入名称、简称或代码，如 顺丰、SF</source>
        <translation>Type a name, short name or code, e.g. 顺丰, SF</translation>
    </message>
    <message>
        <source>每行一个快递单号，扫码枪扫完会自动换行。
几个单号就是几个包裹。</source>
        <translation>One tracking number a line; a scanner ends each with a new line.
Each number is one parcel.</translation>
    </message>
    <message>
        <source>无需快递单号（同城配送、自己送货等）</source>
        <translation>No tracking number (local delivery, own courier…)</translation>
    </message>
    <message>
        <source>部分发货：只发下面选择的商品和数量</source>
        <translation>Partial shipment: only the items and quantities below</translation>
    </message>
    <message>
        <source> 件</source>
        <translation> pcs</translation>
    </message>
    <message>
        <source>未发 {count} 件</source>
        <translation>{count} not shipped</translation>
    </message>
    <message>
        <source>补充单号</source>
        <translation>Add numbers</translation>
    </message>
    <message>
        <source>发货</source>
        <translation>Shipping</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>快递公司</source>
        <translation>Courier</translation>
    </message>
    <message>
        <source>快递单号</source>
        <translation>Tracking numbers</translation>
    </message>
    <message>
        <source>→ {name}</source>
        <translation>→ {name}</translation>
    </message>
    <message>
        <source>平台的快递公司列表中没有“{text}”</source>
        <translation>“{text}” is not in the platform&apos;s courier list</translation>
    </message>
    <message>
        <source>仍然补充</source>
        <translation>Add anyway</translation>
    </message>
    <message>
        <source>仍然发货</source>
        <translation>Ship anyway</translation>
    </message>
    <message>
        <source>请先改正上面标 ✗ 的单号，改正前不会发货。</source>
        <translation>Correct the numbers marked ✗ above first; nothing is shipped until then.</translation>
    </message>
    <message>
        <source>请核对上面的提醒。确认无误，再点一次“{button}”。</source>
        <translation>Check the warnings above. If all is right, click “{button}” again.</translation>
    </message>
</context>
<context>
    <name>ShippingModel</name>
    <message>
        <source>到店自提</source>
        <translation>In-store pickup</translation>
    </message>
    <message>
        <source>读取中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>付款后已超过 {hours} 小时未发货</source>
        <translation>Not shipped {hours} hours after payment</translation>
    </message>
</context>
<context>
    <name>ShippingPanel</name>
    <message>
        <source>全部快递</source>
        <translation>All couriers</translation>
    </message>
    <message>
        <source>快递公司（已发出的包裹）</source>
        <translation>Courier (of parcels already sent)</translation>
    </message>
    <message>
        <source>商品名称包含…</source>
        <translation>Goods name contains…</translation>
    </message>
    <message>
        <source>全部地区</source>
        <translation>All regions</translation>
    </message>
    <message>
        <source>收货省份</source>
        <translation>Receiver&apos;s province</translation>
    </message>
    <message>
        <source>是否已打印发货单</source>
        <translation>Whether the shipping slip was printed</translation>
    </message>
    <message>
        <source>快递配送还是到店自提</source>
        <translation>Delivery or in-store pickup</translation>
    </message>
    <message>
        <source>超过 </source>
        <translation>Mark after </translation>
    </message>
    <message>
        <source> 小时标色</source>
        <translation> h</translation>
    </message>
    <message>
        <source>付款后等待超过这么久的订单标为超时</source>
        <translation>Orders waiting longer than this since payment are marked overdue</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>批量发货…</source>
        <translation>Batch ship…</translation>
    </message>
    <message>
        <source>从 CSV 或 XLSX 文件批量发货：先核对每一行，再发送</source>
        <translation>Ship from a CSV or XLSX file: every row is checked first, then sent</translation>
    </message>
    <message>
        <source>导出待发货表…</source>
        <translation>Export to-ship sheet…</translation>
    </message>
    <message>
        <source>把选中的订单（未选时为筛选出的全部订单）导出为 Excel，交给仓库或快递员；填好快递单号后可用“批量发货”导入</source>
        <translation>Export the selected orders (or, with none selected, every order the filters show) to Excel for the warehouse or courier; once the tracking numbers are filled in, import it with &quot;Batch ship&quot;</translation>
    </message>
    <message>
        <source>待发货订单还在读取中，请稍后再导出。</source>
        <translation>The orders to ship are still being read. Export again in a moment.</translation>
    </message>
    <message>
        <source>没有可导出的订单：待发货列表为空。</source>
        <translation>No orders to export: the to-ship list is empty.</translation>
    </message>
    <message>
        <source>导出待发货表</source>
        <translation>Export to-ship sheet</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出 {count} 笔订单到 {path}</source>
        <translation>Exported {count} orders to {path}</translation>
    </message>
    <message>
        <source>读取中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>读取本地订单失败：{error}</source>
        <translation>Could not read the local orders: {error}</translation>
    </message>
    <message>
        <source>待发货 {count} 笔</source>
        <translation>{count} to ship</translation>
    </message>
    <message>
        <source>（读取中…）</source>
        <translation> (loading…)</translation>
    </message>
    <message>
        <source> · 已选 {count} 笔</source>
        <translation> · {count} selected</translation>
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
    <name>application</name>
    <message>
        <source>本地缓存无法打开：{error}</source>
        <translation>Cannot open the local cache: {error}</translation>
    </message>
    <message>
        <source>正在升级本地缓存，只需这一次。订单很多时需要一两分钟，请不要关闭。</source>
        <translation>Upgrading the local cache, this once only. With many orders it takes a minute or two: please do not close ShopDesk.</translation>
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
