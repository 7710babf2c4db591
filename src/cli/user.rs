//! `diming user`: accounts, roles, passwords, API tokens and the log of refused attempts.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use diming::accounts::{self, Role};
use diming::store::Store;
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// 创建账户（密码从终端输入，或用 --password-stdin 从标准输入读一行）
    #[command(
        after_help = "角色：admin（系统管理员）、names_officer（地名管理员）、boundary_officer（区划界线管理员）、\nburial_officer（殡葬管理员）、editor（出版编辑）、viewer（查看人员）\n\n示例：\n  diming user add 王芳 --role names_officer\n  echo '一个足够长的密码' | diming user add 李强 --role viewer --password-stdin"
    )]
    Add {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// 修改密码（并结束该用户的全部登录会话）
    #[command(after_help = "示例：\n  diming user passwd 王芳")]
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// 更改角色，或停用、启用账户
    #[command(
        after_help = "示例：\n  diming user set 王芳 --role boundary_officer\n  diming user set 李强 --disable"
    )]
    Set {
        name: String,
        #[arg(long)]
        role: Option<String>,
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        #[arg(long)]
        enable: bool,
    },
    /// 列出账户
    #[command(after_help = "示例：\n  diming user list")]
    List,
    /// 为脚本与 GIS 软件签发接口令牌（只显示这一次）
    #[command(
        after_help = "示例：\n  diming user token 王芳 --label qgis\n  curl -H \"Authorization: Bearer 令牌\" http://127.0.0.1:8080/api/layers"
    )]
    Token {
        name: String,
        #[arg(long, default_value = "api")]
        label: String,
        /// 吊销该用户此标签的全部令牌，而不是签发新令牌
        #[arg(long)]
        revoke: bool,
    },
    /// 显示最近被拒绝的访问（登录失败、无权修改、无效令牌）与个人信息查看记录（personal_data）
    #[command(after_help = "示例：\n  diming user refusals --limit 50")]
    Refusals {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

fn read_password(from_stdin: bool) -> Result<String> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("从标准输入读取密码")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else {
        let first = rpassword::prompt_password("密码：").context("读取密码")?;
        let again = rpassword::prompt_password("再输入一次：").context("读取密码")?;
        if first != again {
            bail!("两次输入的密码不一致");
        }
        first
    };
    accounts::check_password_strength(&password).map_err(anyhow::Error::msg)?;
    Ok(password)
}

fn parse_role(role: &str) -> Result<Role> {
    role.parse().map_err(anyhow::Error::msg)
}

pub(crate) async fn run(db: &str, command: UserCommand) -> Result<()> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("打开登记簿 {db}"))?;
    match command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let role = parse_role(&role)?;
            if name.trim().is_empty() || name.chars().any(char::is_control) {
                bail!("用户名不能为空，也不能含控制字符");
            }
            let password = read_password(password_stdin)?;
            store
                .add_user(name.trim(), role, &accounts::hash_password(&password))
                .await?;
            println!("已创建账户“{}”，角色：{}", name.trim(), role.label());
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let password = read_password(password_stdin)?;
            store
                .set_password(&name, &accounts::hash_password(&password))
                .await?;
            println!("已修改“{name}”的密码；其登录会话已全部结束，API 令牌已全部作废");
        }
        UserCommand::Set {
            name,
            role,
            disable,
            enable,
        } => {
            let role = role.as_deref().map(parse_role).transpose()?;
            let disabled = match (disable, enable) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            store.update_user(&name, role, disabled).await?;
            println!("已更新账户“{name}”");
        }
        UserCommand::List => {
            for u in store.users().await? {
                let state = if u.disabled_at.is_some() {
                    "已停用"
                } else {
                    "正常"
                };
                println!(
                    "{}\t{}\t{}\t创建于 {}",
                    u.name,
                    u.role.label(),
                    state,
                    u.created_at.format("%Y-%m-%d")
                );
            }
        }
        UserCommand::Token {
            name,
            label,
            revoke,
        } => {
            if store.user(&name).await?.is_none() {
                bail!("没有用户“{name}”");
            }
            if revoke {
                let n = store.revoke_tokens(&name, &label).await?;
                println!("已吊销“{name}”标签为“{label}”的 {n} 个令牌");
            } else {
                let (token, hash) = accounts::new_secret();
                store.add_token(&hash, &name, &label).await?;
                println!("{token}");
                eprintln!(
                    "这是“{name}”的接口令牌（标签 {label}），只显示这一次；请求时放在 Authorization: Bearer 之后"
                );
            }
        }
        UserCommand::Refusals { limit } => {
            for r in store.refusals(limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.at.format("%Y-%m-%d %H:%M:%S"),
                    r.user.as_deref().unwrap_or("（未登录）"),
                    r.action,
                    r.target,
                    r.reason
                );
            }
        }
    }
    Ok(())
}
