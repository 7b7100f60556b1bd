"""The demo's resident problem list, one entry per issue, and its joint meeting's particulars.

What each entry becomes is played out by demo/sample/issues.py (see issue_stories.py)."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import IssueCategory as C
from db.models import IssueChannel as Ch
from db.models import IssuePriority as P
from db.models import IssueStatus as S


@dataclass(frozen=True)
class DemoIssue:
    """One issue of the demo and what becomes of it."""

    compound: str  # "a" (繼光花苑) or "b" (上東小區)
    days_ago: int
    status: S  # where its story ends
    category: C
    channel: Ch
    priority: P
    title: str
    description: str
    reporter: int | None = None  # resident number; one of ORDINARY when None
    taker: str = "committee"  # "branch", "committee" or "firm": who claims it
    ask: str | None = None  # the reporter's comment while it is worked (or waits)
    reply: str | None = None  # the taker's answer (the firm's manager when the firm has it)
    note: str | None = None  # the resolution, rejection reason or escalation reason
    reopen: str | None = None  # why the reporter reopened it
    note2: str | None = None  # the second resolution, after reopening
    rating: int | None = None
    review: str | None = None  # the reporter's word on closing
    key: str | None = None  # a name other entries refer to
    original: str | None = None  # key of the issue a DUPLICATE repeats
    meeting: str | None = None  # "agenda" (put on when scheduling) or "late" (escalated onto it)
    decision: str | None = None
    decided_for: str | None = None  # organisation key the decision assigns it to
    follow_up: str | None = None  # the committee's word after the decision
    building: bool = True  # about the reporter's building rather than the whole compound


# One entry per issue, kept compact: positional fields in DemoIssue's order.
# fmt: off
ISSUES: tuple[DemoIssue, ...] = (
    # ---- 繼光花苑 (compound A): the old compound renovated under its party branch ----
    DemoIssue(
        "a", 86, S.CLOSED, C.OLD_COMPOUND_RENOVATION, Ch.SUGGESTION, P.NORMAL,
        "老舊小區改造：中心花園希望增設休閒座椅和晾曬區",
        "改造後的中心花園沒有座椅，老人散步沒處歇腳；原來的晾衣架拆了，也沒有新的晾曬區。",
        taker="branch", building=False,
        reply="已納入改造二期清單，和施工方確認下月進場。",
        note="中心花園新增座椅8組，1號樓旁設公共晾曬區。",
        rating=5, review="座椅很實用，謝謝支部！",
    ),
    DemoIssue(
        "a", 80, S.CLOSED, C.PARKING, Ch.COMPLAINT, P.HIGH,
        "外來車輛佔用消防通道，晚上救護車進不來",
        "上周三晚上3號樓老人發病，救護車被堵在消防通道外十幾分鐘。",
        taker="firm", building=False,
        ask="昨晚又有兩輛外地牌照的車停在通道上。",
        reply="已安排保安夜間巡查，外來車輛進門登記。",
        note="消防通道劃設黃色網格線，加裝3處地鎖和警示牌，外來車輛實行登記制。",
        rating=4, review="通道暢通了，希望保安堅持巡查。",
    ),
    DemoIssue(
        "a", 74, S.CLOSED, C.ELEVATOR, Ch.HOTLINE, P.URGENT,
        "2號樓電梯困人，老人被困20分鐘",
        "居民撥打熱線反映：2號樓電梯停在5樓和6樓之間，一位老人被困約20分鐘。",
        reporter=13, taker="firm",
        reply="維保人員已到場放人，電梯停用檢修。",
        note="維保單位更換門機控制板，完成年檢複查後恢復運行。",
        rating=3, review="修好了，但維保響應還是慢。",
    ),
    DemoIssue(
        "a", 70, S.CLOSED, C.DRAINAGE, Ch.PHOTO_REPORT, P.HIGH,
        "3號樓化糞池外溢，單元門口污水橫流",
        "3號樓單元門口地面全是污水，味道很大，小孩上學要踮著腳走。",
        taker="firm",
        reply="已安排吸污車疏通。",
        note="化糞池已疏通，門口地面沖洗消毒。",
        reopen="疏通後第三天又堵了，味道還是很大。",
        note2="清掏化糞池並更換破損排污管段6米。",
        rating=4, review="這次徹底好了。",
    ),
    DemoIssue(
        "a", 66, S.CLOSED, C.ENVIRONMENT, Ch.MICRO_WISH, P.LOW,
        "微心願：希望在架空層設一個舊衣回收箱",
        "家裡舊衣服不少，扔了可惜，希望小區有個回收點。",
        taker="branch", building=False,
        note="與社區對接，架空層已放置舊衣回收箱，每月清運一次。",
        rating=5,
    ),
    DemoIssue(
        "a", 60, S.CLOSED, C.ELDER_CARE, Ch.DOOR_TO_DOOR_VISIT, P.NORMAL,
        "獨居老人希望有人定期上門探望",
        "入戶走訪時了解到：1號樓獨居老人子女在外地，腿腳不便，希望有人定期上門看看。",
        reporter=16, taker="branch",
        reply="已安排黨員中心戶與老人結對。",
        note="黨員中心戶結對幫扶，每周兩次上門探望，志願時長計入愛心銀行。",
        rating=5, review="志願者很用心，謝謝！",
    ),
    DemoIssue(
        "a", 55, S.IN_PROGRESS, C.EV_CHARGING, Ch.COMPLAINT, P.HIGH,
        "電動自行車樓道飛線充電，充電樁嚴重不足",
        "小區只有8個充電口，很多人從窗戶拉電線在樓道裡充電，存在嚴重火災隱患。",
        key="ev", building=False,
        reply="業委會已統計全小區電動車約160輛，現有充電口遠遠不夠。",
        note="充電設施需供電增容和場地改造，小區自身無法解決，提請聯席會議。",
        meeting="agenda",
        decision="國網寧德供電公司蕉城分部在南側車棚新增充電口20個並負責增容；"
        "業委會提供場地，物業負責日常管理和飛線清理。",
        decided_for="partner",
        follow_up="供電公司已完成現場勘查，施工計劃下月初進場。",
    ),
    DemoIssue(
        "a", 50, S.IN_PROGRESS, C.ILLEGAL_CONSTRUCTION, Ch.PHOTO_REPORT, P.NORMAL,
        "1號樓頂層業主違規搭建陽光房",
        "1號樓頂層在公共屋面上搭了鋼架陽光房，樓下住戶擔心漏水和承重問題。",
        taker="branch",
        reply="支部已上門勸導，業主暫不同意拆除。",
        note="勸導無效，違建查處需職能部門介入，提請聯席會議。",
        meeting="agenda",
        decision="蕉城區住房和城鄉建設局下達限期整改通知書，30日內自行拆除；"
        "業委會跟進拆除進度，逾期由職能部門依法處置。",
        decided_for="department",
        follow_up="整改通知書已送達，業主承諾月底前拆除。",
    ),
    DemoIssue(
        "a", 30, S.ESCALATED, C.DRAINAGE, Ch.HELP_REQUEST, P.HIGH,
        "2號樓雨污合流，下水管道反覆堵塞",
        "2號樓下水管道一年堵了四五次，每次疏通只能管幾周，一樓住戶家裡返水。",
        taker="firm",
        ask="這個月又堵了一次，一樓實在受不了。",
        reply="管網老化、雨污合流，物業疏通只能治標，需要整體改造。",
        note="雨污分流改造屬老舊小區改造範圍，需住建局立項，提請聯席會議。",
        meeting="late",
    ),
    DemoIssue(
        "a", 12, S.IN_PROGRESS, C.SAFETY, Ch.PHOTO_REPORT, P.HIGH,
        "東門門禁損壞，陌生人隨意進出",
        "東門門禁刷卡沒反應，門一直開著，晚上常有陌生人進出。",
        taker="firm", building=False,
        ask="門還是壞的，保安不在的時候照樣有人進出。",
        reply="門禁主板需要廠家寄送，到貨後立即更換，期間保安在東門值守。",
    ),
    DemoIssue(
        "a", 4, S.IN_PROGRESS, C.CHILDCARE, Ch.SUGGESTION, P.NORMAL,
        "希望暑期在近鄰紅色驛站開設兒童託管班",
        "雙職工家庭暑假孩子沒人看，希望驛站能開個託管班，有老師黨員帶著寫作業。",
        taker="branch", building=False,
        reply="已聯繫在職黨員中的教師志願者，正在排班。",
    ),
    DemoIssue(
        "a", 14, S.RESOLVED, C.PARKING, Ch.HELP_REQUEST, P.NORMAL,
        "地面停車位劃線模糊，經常停得歪歪扭扭",
        "地面車位的線快看不見了，車停得歪，一輛車佔兩個位。",
        reporter=1, building=False,
        note="已重新劃線並給地面車位編號。",
    ),
    DemoIssue(
        "a", 9, S.RESOLVED, C.ENVIRONMENT, Ch.PHOTO_REPORT, P.NORMAL,
        "垃圾分類亭周邊蚊蠅多，清運不及時",
        "2號樓旁垃圾分類亭滿了沒人清，周邊蚊蠅很多。",
        taker="firm",
        reply="已調整保潔排班。",
        note="垃圾清運調整為每日早晚兩次，垃圾亭每周消殺。",
    ),
    DemoIssue(
        "a", 25, S.REOPENED, C.ELEVATOR, Ch.COMPLAINT, P.HIGH,
        "1號樓電梯運行時有異響",
        "1號樓電梯上下運行時咔咔響，晚上特別明顯，大家都不敢坐。",
        taker="firm",
        reply="已通知維保單位上門檢查。",
        note="維保單位調整導靴並加註潤滑油。",
        reopen="維保來過一次，異響還在，晚上更明顯。",
    ),
    DemoIssue(
        "a", 6, S.CLAIMED, C.EV_CHARGING, Ch.SUGGESTION, P.LOW,
        "建議地下車庫預留汽車充電樁電源",
        "買電動汽車的越來越多，建議車庫改造時預留充電樁電源和線槽。",
        building=False,
        reply="業委會已記錄，將在下次業主大會前徵求意見。",
    ),
    DemoIssue(
        "a", 15, S.CLAIMED, C.SAFETY, Ch.HOTLINE, P.HIGH,
        "3號樓消防栓沒水，滅火器過期",
        "居民撥打熱線反映：3號樓各層消防栓打開沒水，滅火器標籤已過期一年。",
        reporter=19, taker="branch",
    ),
    DemoIssue(
        "a", 1, S.REPORTED, C.ENVIRONMENT, Ch.PHOTO_REPORT, P.NORMAL,
        "中心花園有人遛狗不牽繩、不清理糞便",
        "早晚在中心花園遛狗的不牽繩，小孩被嚇哭過，草地上糞便沒人清理。",
        reporter=1, building=False,
    ),
    DemoIssue(
        "a", 3, S.REPORTED, C.ELDER_CARE, Ch.MICRO_WISH, P.LOW,
        "微心願：希望驛站每月組織一次義診量血壓",
        "小區老人多，希望請社區醫生每月來驛站量量血壓、看看常見病。",
        building=False,
    ),
    DemoIssue(
        "a", 2, S.REPORTED, C.DRAINAGE, Ch.PHOTO_REPORT, P.URGENT,
        "地下車庫入口排水溝堵塞，下雨積水沒過腳踝",
        "今天大雨，車庫入口排水溝被落葉堵住，積水快流進車庫了。",
        building=False,
        ask="水還在漲，請盡快派人來！",
    ),
    DemoIssue(
        "a", 35, S.REJECTED, C.PARKING, Ch.COMPLAINT, P.NORMAL,
        "要求在自家樓下劃一個專用車位",
        "我家有老人行動不便，要求在單元門口給我家劃一個專用車位。",
        note="公共區域車位不能由個人專用；已按業主大會通過的停車方案，"
        "在單元門口設臨時上下客位，老人用車可優先停靠。",
    ),
    DemoIssue(
        "a", 45, S.DUPLICATE, C.EV_CHARGING, Ch.PHOTO_REPORT, P.NORMAL,
        "樓道裡充電，電線從窗戶拉下來",
        "2號樓有人從三樓窗戶拉電線下來給電動車充電，太危險了。",
        original="ev",
    ),
    DemoIssue(
        "a", 40, S.CLOSED, C.SAFETY, Ch.PHOTO_REPORT, P.NORMAL,
        "小區路燈壞了多處，晚上回家太黑",
        "從北門到3號樓的路燈壞了五六盞，晚上回家要打手電。",
        taker="firm", building=False,
        note="更換路燈燈頭7個，並檢修線路。",
        rating=4,
    ),
    # ---- 上東小區 (compound B): new committee, new firm, the parking revenue shared out ----
    DemoIssue(
        "b", 88, S.CLOSED, C.PARKING, Ch.SUGGESTION, P.NORMAL,
        "停車費等公共收益要公開，希望分紅給業主",
        "小區停車費、場地租賃收入一年不少，錢去哪了業主不知道，希望公開並分紅。",
        building=False,
        reply="業委會已請監事會審計近三年公共收益。",
        note="公共收益賬目已在公告欄和業主群公示，春節前按戶分紅。",
        rating=5, review="第一次收到小區分紅，支部和業委會辦了實事。",
    ),
    DemoIssue(
        "b", 78, S.CLOSED, C.ENVIRONMENT, Ch.COMPLAINT, P.HIGH,
        "垃圾清運不及時，夏天臭味熏人",
        "垃圾桶經常滿溢，有時兩天才清一次，夏天臭味熏人。",
        taker="firm", building=False,
        reply="已增加保潔人員，清運改為每日一次。",
        note="清運改為每日早晚兩次，垃圾桶每周清洗。",
        rating=4,
    ),
    DemoIssue(
        "b", 64, S.CLOSED, C.CHILDCARE, Ch.MICRO_WISH, P.LOW,
        "微心願：希望小區裡有一塊兒童遊樂場地",
        "小區沒有孩子玩的地方，希望利用閒置綠地建個小遊樂場。",
        taker="branch", building=False,
        note="利用閒置綠地建成兒童遊樂區，共建單位捐贈滑梯和沙池。",
        rating=5,
    ),
    DemoIssue(
        "b", 58, S.CLOSED, C.ELEVATOR, Ch.HOTLINE, P.URGENT,
        "2號樓電梯按鈕失靈，停在12樓不動",
        "居民撥打熱線反映：2號樓電梯按鈕按了沒反應，電梯停在12樓不動，老人下不了樓。",
        reporter=10, taker="firm",
        reply="已聯繫維保單位，配件需從廠家調貨。",
        note="更換按鈕板和主控板，電梯恢復運行。",
        rating=2, review="修了兩天才好，希望物業提高響應速度。",
    ),
    DemoIssue(
        "b", 40, S.IN_PROGRESS, C.OLD_COMPOUND_RENOVATION, Ch.DOOR_TO_DOOR_VISIT, P.NORMAL,
        "屋面防水層老化，頂樓住戶家中漏水",
        "入戶走訪時了解到：3號樓頂樓住戶一下雨臥室就漏水，牆皮大片脫落。",
        reporter=7, taker="branch",
        reply="已申請使用住宅專項維修資金，正在走業主表決程序。",
    ),
    DemoIssue(
        "b", 3, S.IN_PROGRESS, C.SAFETY, Ch.PHOTO_REPORT, P.URGENT,
        "1號樓外牆瓷磚脫落，樓下行人有危險",
        "1號樓外牆有瓷磚掉下來，砸在樓下的電動車上，幸好沒人。",
        taker="firm",
        reply="已拉警戒線並搭設防護棚，高空作業隊明天進場。",
    ),
    DemoIssue(
        "b", 8, S.RESOLVED, C.EV_CHARGING, Ch.HELP_REQUEST, P.NORMAL,
        "充電樁刷卡沒反應，充不了電",
        "車棚的充電樁刷卡沒反應，已經好幾天充不了電。",
        reporter=1, taker="firm", building=False,
        note="已聯繫運營商更換讀卡模塊，充電樁恢復使用。",
    ),
    DemoIssue(
        "b", 28, S.REOPENED, C.DRAINAGE, Ch.COMPLAINT, P.NORMAL,
        "3號樓一樓下水道返味",
        "一樓衛生間下水道一直返臭味，晚上熏得睡不著。",
        taker="firm",
        note="疏通主管道並加裝防臭地漏。",
        reopen="沒有根治，一下雨又返味。",
    ),
    DemoIssue(
        "b", 18, S.ESCALATED, C.PARKING, Ch.COMPLAINT, P.HIGH,
        "小區大門外道路夜間亂停車，堵住出入口",
        "晚上大門外道路兩側停滿車，小區車輛出不去，救護車也進不來。",
        key="gate", building=False,
        reply="業委會已在門口張貼告示，但路面屬市政道路，小區無權管理。",
        note="涉及市政道路停車管理，需交警和街道協調，提請聯席會議。",
    ),
    DemoIssue(
        "b", 10, S.CLAIMED, C.ELDER_CARE, Ch.DOOR_TO_DOOR_VISIT, P.NORMAL,
        "高齡老人希望有助餐服務",
        "入戶走訪時了解到：2號樓多位八十歲以上老人做飯困難，希望有助餐點。",
        reporter=11, taker="branch", building=False,
    ),
    DemoIssue(
        "b", 5, S.CLAIMED, C.SAFETY, Ch.SUGGESTION, P.LOW,
        "建議在小區主幹道增設減速帶",
        "主幹道上車開得很快，孩子在路邊玩很危險，建議加裝減速帶。",
        building=False,
        reply="業委會已收到，將和物業一起確定位置。",
    ),
    DemoIssue(
        "b", 4, S.REPORTED, C.ILLEGAL_CONSTRUCTION, Ch.PHOTO_REPORT, P.NORMAL,
        "2號樓底商私自擴建，佔用消防通道",
        "2號樓底商往外擴建了雨棚和隔間，把消防通道佔了一半。",
        building=False,
    ),
    DemoIssue(
        "b", 11, S.REPORTED, C.ENVIRONMENT, Ch.HOTLINE, P.NORMAL,
        "綠化帶雜草叢生，蚊子多",
        "居民撥打熱線反映：1號樓旁綠化帶很久沒修剪，雜草有半人高，蚊子很多。",
        reporter=1,
        ask="蚊子太多了，晚上不敢開窗，請盡快處理。",
    ),
    DemoIssue(
        "b", 33, S.REJECTED, C.OTHER, Ch.COMPLAINT, P.LOW,
        "要求物業賠償樓上漏水造成的損失",
        "樓上衛生間漏水把我家天花板泡壞了，要求物業賠償。",
        note="屬業主之間的相鄰關係糾紛，不屬物業責任；已引導雙方通過社區人民調解解決。",
    ),
    DemoIssue(
        "b", 16, S.DUPLICATE, C.PARKING, Ch.PHOTO_REPORT, P.NORMAL,
        "大門口晚上車停得亂七八糟，開不出去",
        "昨晚十點想開車出門，大門口被兩邊的車堵死了。",
        original="gate", building=False,
    ),
)
# fmt: on


# Days ago: escalations before it; put on the calendar; one more escalated onto it; held.
MEETING_SCHEDULED, MEETING_LATE_ESCALATION, MEETING_HELD = 24, 22, 20
MEETING_TITLE = "繼光花苑小區治理聯席會議"
MEETING_LOCATION = "繼光花苑近鄰紅色驛站"
MEETING_PARTICIPANTS = ("branch_a", "committee_a", "firm_a", "department", "partner")
MEETING_MINUTES = (
    "出席：繼光花苑小區黨支部、業主委員會、安居物業服務有限公司、蕉城區住房和城鄉建設局、"
    "國網寧德供電公司蕉城分部。\n"
    "一、電動自行車充電難：供電公司在南側車棚新增充電口20個並負責增容，業委會提供場地，"
    "物業負責日常管理。\n"
    "二、1號樓頂層違建陽光房：住建局下達限期整改通知書，業委會跟進。\n"
    "三、2號樓雨污合流改造：待住建局現場勘查、納入老舊小區改造計劃後再議。"
)
