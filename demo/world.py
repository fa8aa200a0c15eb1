"""The demo world, after the district Women's Federation's year-end report.

A district of Shanghai with its streets (街道) and communities (社区); the building women's home
at First Plaza, the mixed commercial-residential compound's home and the international
community's home; the teams the report names; the classes, markets, salons and lectures they run.
Everything bilingual: Chinese name first, English second.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT = ("长宁区", "Changning District")
# The district government's square, roughly: volunteers live around it.
DISTRICT_CENTRE = (31.2204, 121.4247)

# (Chinese, English, latitude, longitude of the street office)
STREETS = [
    ("虹桥街道", "Hongqiao Subdistrict", 31.1985, 121.4105),
    ("华阳路街道", "Huayang Road Subdistrict", 31.2210, 121.4300),
    ("江苏路街道", "Jiangsu Road Subdistrict", 31.2225, 121.4350),
    ("新华路街道", "Xinhua Road Subdistrict", 31.2055, 121.4250),
    ("天山路街道", "Tianshan Road Subdistrict", 31.2125, 121.4050),
    ("仙霞新村街道", "Xianxia Xincun Subdistrict", 31.2050, 121.3900),
    ("周家桥街道", "Zhoujiaqiao Subdistrict", 31.2220, 121.4050),
    ("程家桥街道", "Chengjiaqiao Subdistrict", 31.1950, 121.3750),
    ("北新泾街道", "Beixinjing Subdistrict", 31.2180, 121.3850),
    ("新泾镇", "Xinjing Town", 31.2150, 121.3650),
]

# Community names are built from these (a second "village" follows when a name is used up).
# fmt: off
COMMUNITY_STEMS = [
    ("古北", "Gubei"), ("荣华", "Ronghua"), ("虹储", "Hongchu"), ("虹仙", "Hongxian"),
    ("安顺", "Anshun"), ("水城", "Shuicheng"), ("茅台", "Maotai"), ("天山", "Tianshan"),
    ("遵义", "Zunyi"), ("仙霞", "Xianxia"), ("威宁", "Weining"), ("番禺", "Panyu"),
    ("法华", "Fahua"), ("新华", "Xinhua"), ("愚园", "Yuyuan"), ("武夷", "Wuyi"),
    ("定西", "Dingxi"), ("延安", "Yan'an"), ("安化", "Anhua"), ("华山", "Huashan"),
    ("镇宁", "Zhenning"), ("幸福", "Xingfu"), ("哈密", "Hami"), ("剑河", "Jianhe"),
    ("北虹", "Beihong"), ("金钟", "Jinzhong"), ("淞虹", "Songhong"), ("平塘", "Pingtang"),
    ("协和", "Xiehe"), ("怡景", "Yijing"), ("红松", "Hongsong"), ("芙蓉江", "Furongjiang"),
    ("玉屏", "Yuping"), ("清池", "Qingchi"), ("泸定", "Luding"), ("虹园", "Hongyuan"),
    ("云雾山", "Yunwushan"), ("福泉", "Fuquan"), ("紫云", "Ziyun"), ("北翟", "Beizhai"),
]
# fmt: on
# The second round of a stem is its "village 2" (二村), and so on.
CHINESE_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

OFFICE_TOWERS = [
    ("虹桥商务大厦", "Hongqiao Business Tower"),
    ("金虹大厦", "Jinhong Tower"),
    ("华敏世纪广场", "Huamin Century Plaza"),
    ("长宁国际中心", "Changning International Centre"),
    ("缤谷商务楼", "Bingu Office Building"),
    ("中山广场", "Zhongshan Plaza"),
    ("远东国际广场", "Far East International Plaza"),
    ("兆丰大厦", "Zhaofeng Tower"),
]

# (code, Chinese, English, needs verification)
SKILLS = [
    ("english", "英语", "English", False),
    ("lecture", "宣讲", "Lecturing", False),
    ("childcare", "儿童看护", "Childcare", False),
    ("tutoring", "课业辅导", "Homework help", False),
    ("finance", "财务", "Finance", False),
    ("folk-culture", "民俗文化", "Folk culture", False),
    ("first-aid", "急救", "First aid", False),
    ("crafts", "手工", "Crafts", False),
    ("photography", "摄影", "Photography", False),
    ("mediation", "矛盾调解", "Mediation", True),
    ("psych-counselling", "心理咨询", "Psychological counselling", True),
    ("law", "法律咨询", "Legal advice", True),
    ("social-work", "社会工作", "Social work", True),
]
# How often a volunteer has each skill (relative weights); trusted skills are rare.
# fmt: off
SKILL_WEIGHTS = {
    "english": 10, "lecture": 8, "childcare": 12, "tutoring": 9, "finance": 4,
    "folk-culture": 7, "first-aid": 6, "crafts": 8, "photography": 4, "mediation": 1,
    "psych-counselling": 2, "law": 1, "social-work": 2,
}
# fmt: on


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    name_en: str
    kind: str
    description: str


TEAMS = [
    TeamSpec(
        "foreign_mothers",
        "洋妈妈巾帼志愿服务队",
        "Foreign Mothers' Volunteer Team",
        "foreign_mothers",
        "国际社区的外籍妈妈们互帮互助，开办7点钟学堂和跳蚤市场。",
    ),
    TeamSpec(
        "mediators",
        "女企业家调解队",
        "Women Entrepreneurs' Mediation Team",
        "mediators",
        "女企业家发挥资金、管理、法律专长，调解邻里矛盾。",
    ),
    TeamSpec(
        "lecturers",
        "巾帼宣讲团",
        "Women's Lecture Group",
        "lecturers",
        "传播好家风、好家训、好家教。",
    ),
    TeamSpec(
        "counsellors",
        "心理咨询师志愿团队",
        "Volunteer Counsellors",
        "counsellors",
        "通过热线与妇女之家提供一对一心理咨询。",
    ),
    TeamSpec(
        "folk_culture",
        "民俗文化巾帼队",
        "Folk Culture Team",
        "folk_culture",
        "家庭主妇的民俗文化特长：答嘴鼓、剪纸、中国结。",
    ),
    TeamSpec(
        "social_workers",
        "专业社工队",
        "Social Workers",
        "social_workers",
        "三级干预、四步走访的核心工作圈。",
    ),
]


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    title_en: str
    kind: str
    weekday: int  # Monday=0; -1: any weekday Monday to Friday, chosen per venue
    start: str
    minutes: int
    interval: int
    roles: tuple  # (skill code or None, language or "", needed, label)
    team: str | None = None
    description: str = ""


SEVEN_OCLOCK = ActivitySpec(
    "7点钟学堂",
    "7 O'Clock Class",
    "class",
    -1,
    "19:00",
    90,
    1,
    (("lecture", "", 1, "讲师"), (None, "", 2, "助教")),
    description="晚上七点，妇女之家里的公益课堂：育儿、健康、法律常识轮流讲。",
)

ACTIVITIES = {
    "community": [
        SEVEN_OCLOCK,
        ActivitySpec(
            "4点钟学堂·课后看护",
            "4 O'Clock Class: after-school care",
            "class",
            -1,
            "16:00",
            120,
            1,
            (("childcare", "", 2, ""), ("tutoring", "", 1, "")),
        ),
        ActivitySpec(
            "巾帼宣讲：好家风好家训",
            "Women's lectures: good family values",
            "lecture",
            5,
            "09:30",
            90,
            2,
            (("lecture", "", 1, "宣讲员"), (None, "", 2, "签到引导")),
            team="lecturers",
        ),
        ActivitySpec(
            "平安家庭入户宣传",
            "Safe Families home-visit publicity",
            "home_visits",
            6,
            "14:00",
            180,
            4,
            ((None, "", 4, "入户宣传"), ("social-work", "", 1, "")),
        ),
        ActivitySpec(
            "妇女维权咨询日",
            "Women's rights advice day",
            "rights",
            2,
            "09:00",
            180,
            2,
            (("law", "", 1, ""), ("mediation", "", 1, "")),
        ),
    ],
    "office": [
        ActivitySpec(
            "楼宇女性午间沙龙",
            "Lunchtime salon for women in the tower",
            "salon",
            3,
            "12:00",
            75,
            1,
            (("psych-counselling", "", 1, "主持"), (None, "", 1, "")),
        ),
        ActivitySpec(
            "一对一心理咨询（热线预约）",
            "One-to-one counselling (booked by hotline)",
            "counselling",
            2,
            "18:30",
            120,
            1,
            (("psych-counselling", "", 2, ""),),
            team="counsellors",
        ),
        ActivitySpec(
            "职场女性讲座",
            "Lectures for working women",
            "lecture",
            1,
            "12:00",
            60,
            2,
            (("lecture", "", 1, ""), (None, "", 1, "")),
        ),
        ActivitySpec(
            "巾帼创业辅导",
            "Coaching for women starting a business",
            "class",
            5,
            "14:00",
            120,
            2,
            (("finance", "", 1, ""), ("law", "", 1, "")),
        ),
    ],
    "residential": [
        ActivitySpec(
            "邻里调解接待日",
            "Neighbour mediation day",
            "mediation",
            5,
            "14:00",
            120,
            1,
            (("mediation", "", 2, "调解员"), ("law", "", 1, "法律顾问")),
            team="mediators",
        ),
        ActivitySpec(
            "民俗文化活动：答嘴鼓",
            "Folk culture: Dazuigu rhymed dialogue",
            "class",
            6,
            "15:00",
            90,
            1,
            (("folk-culture", "", 2, ""), (None, "", 2, "")),
        ),
        SEVEN_OCLOCK,
    ],
    "international": [
        ActivitySpec(
            "7点钟学堂（双语）",
            "7 O'Clock Class (bilingual)",
            "class",
            1,
            "19:00",
            90,
            1,
            (("english", "en", 1, "英语讲师"), ("childcare", "", 2, "")),
        ),
        ActivitySpec(
            "跳蚤市场",
            "Flea market",
            "flea_market",
            5,
            "09:30",
            150,
            1,
            ((None, "", 4, "摊位协助"), (None, "en", 2, "翻译")),
        ),
        ActivitySpec(
            "国际文化交流：中国结",
            "International culture exchange: Chinese knots",
            "culture_exchange",
            6,
            "14:00",
            120,
            2,
            (("folk-culture", "", 1, ""), (None, "en", 2, "")),
        ),
        ActivitySpec(
            "洋妈妈育儿沙龙",
            "Foreign mothers' parenting salon",
            "salon",
            4,
            "10:00",
            90,
            1,
            (("childcare", "", 1, ""), (None, "en", 1, "")),
            team="foreign_mothers",
        ),
    ],
}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖") + list(
    "田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = (
    "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 婷 雪 慧 颖 琳 洁 红梅 秀英 桂英 晓燕 丽华 海燕 雅琴 佳怡 "
    "欣怡 子涵 梦琪 淑珍 美玲 春燕 文静 晓红 玉兰 秀兰 凤英 丹丹 思雨 雨萱 嘉欣 晓雯"
)
GIVEN_NAMES = _GIVEN.split()
# Foreign mothers of the international community: (name, first language)
# fmt: off
FOREIGN_NAMES = [
    ("Emma Wilson", "en"), ("Sarah Johnson", "en"), ("Olivia Brown", "en"),
    ("Kate Taylor", "en"), ("Yuki Tanaka", "ja"), ("Aiko Sato", "ja"),
    ("Mei Suzuki", "ja"), ("Haruka Ito", "ja"), ("Kim Ji-yeon", "ko"),
    ("Park Min-ji", "ko"), ("Lee Soo-ah", "ko"), ("Choi Yu-na", "ko"),
    ("Claire Dubois", "fr"), ("Camille Martin", "fr"), ("Sophie Bernard", "fr"),
    ("Anna Müller", "de"), ("Lena Schmidt", "de"), ("Lucía García", "es"),
    ("María López", "es"), ("Olga Ivanova", "ru"), ("Natalia Petrova", "ru"),
    ("Layla Haddad", "ar"),
]
# fmt: on


# The English names of the demo's rooms and role labels (so that English pages read English).
ROOM_NAMES = {
    "多功能厅": "Multi-purpose hall",
    "心理咨询室": "Counselling room",
    "活动室": "Activity room",
}
ROLE_LABELS_EN = {
    "讲师": "Lecturer",
    "助教": "Teaching assistant",
    "宣讲员": "Speaker",
    "签到引导": "Check-in and guiding",
    "入户宣传": "Door-to-door outreach",
    "主持": "Facilitator",
    "调解员": "Mediator",
    "法律顾问": "Legal adviser",
    "英语讲师": "English teacher",
    "摊位协助": "Stall helper",
    "翻译": "Interpreter",
}
