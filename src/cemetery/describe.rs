//! How each cemetery record reads to a person (its title and labelled attributes).

use super::{
    Attributes, Burial, Cemetery, Describe, Grave, Notice, Plot, Section, SubsidyClaim, Zone, yuan,
};
use crate::record::Tag;

impl Describe for Cemetery {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("公墓名称", &self.name)
            .row("公墓性质", self.kind.label())
            .row("经营单位", &self.operator)
            .row("地址", &self.address)
            .some("批准文件", self.approval.as_ref())
            .some("启用日期", self.opened)
    }
}

impl Describe for Section {
    fn title(&self) -> String {
        format!("{}区", self.code)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("墓区编号", &self.code)
            .row("墓区名称", &self.name)
    }
}

impl Describe for Plot {
    fn title(&self) -> String {
        format!("墓位 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("墓位号", &self.number)
            .row("墓位类型", self.kind.label())
            .row("状态", self.status.label())
            .row("划定日期", self.laid_out)
            .some("使用人", self.holder.as_ref())
            .some("使用人电话", self.holder_phone.as_ref())
            .some("使用期至", self.period.as_ref().map(|p| p.until))
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("title", Tag::Own(self.title()));
        tag("status", Tag::Code(self.status.as_str()));
    }
}

impl Describe for Burial {
    fn title(&self) -> String {
        self.public_title()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("逝者姓名", &self.deceased.name)
            .row("性别", self.deceased.sex.label())
            .row("民族", &self.deceased.ethnicity)
            .row("死亡日期", self.deceased.died)
            .row("安葬方式", self.disposition.label())
            .some("火化证明编号", self.cremation_certificate.as_ref())
            .row("是否在火葬区", if self.in_zone { "是" } else { "否" })
            .row("登记日期", self.registered_on)
            .row("登记人", &self.registered_by)
    }
}

impl Describe for SubsidyClaim {
    fn title(&self) -> String {
        format!("补贴 {} 元", yuan(self.total_fen))
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("补贴标准", &self.rule)
            .row("金额（元）", yuan(self.total_fen))
            .row("申领日期", self.claimed_on)
            .row("申领人", &self.claimant)
            .some("发放日期", self.paid_on)
    }
}

impl Describe for Grave {
    fn title(&self) -> String {
        format!("散坟 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        let zones: Vec<&str> = self.zones.iter().map(|z| z.label()).collect();
        Attributes::new()
            .row("坟墓编号", &self.number)
            .row("坟墓类型", self.kind.label())
            .some("面积（平方米）", self.area_m2.map(|a| format!("{a:.1}")))
            .list("所在禁葬区", &zones)
            .some("处置方式", self.treatment.map(|t| t.label()))
            .row("调查日期", self.surveyed)
            .row("备注", &self.notes)
    }
    fn map_tags(&self, tag: &mut dyn FnMut(&'static str, Tag)) {
        tag("title", Tag::Own(self.title()));
        if let Some(to) = self.moved_to {
            tag("moved_to", Tag::Own(to.to_string()));
        }
    }
}

impl Describe for Notice {
    fn title(&self) -> String {
        format!("迁坟告知书 {}", self.number)
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("告知书编号", &self.number)
            .row("批次", &self.batch)
            .row("状态", self.status.label())
            .row("迁移期限", self.terms.deadline)
            .row("迁入公墓", &self.terms.destination_name)
            .some("签收人", self.signed_by.as_ref())
    }
}

impl Describe for Zone {
    fn title(&self) -> String {
        self.name.clone()
    }
    fn attributes(&self) -> Attributes {
        Attributes::new()
            .row("区划名称", &self.name)
            .row("区划类型", self.kind.label())
            .row("划定依据", &self.basis)
    }
}
